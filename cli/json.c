/* SPDX-License-Identifier: BSD-2-Clause */
/* A small streaming JSON writer for the CLI's --format json. */
#include "cli.h"

#include <string.h>

static void sep(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (key) {
		fputc('"', j->f);
		fputs(key, j->f);
		fputs("\":", j->f);
	}
}

static void push(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth + 1 < (int)(sizeof(j->need_comma) / sizeof(j->need_comma[0])))
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void pop(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void json_begin(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

void json_end(struct json *j)
{
	fputc('\n', j->f);
}

void json_obj_open(struct json *j, const char *key)
{
	sep(j, key);
	push(j, '{');
}

void json_obj_close(struct json *j)
{
	pop(j, '}');
}

void json_arr_open(struct json *j, const char *key)
{
	sep(j, key);
	push(j, '[');
}

void json_arr_close(struct json *j)
{
	pop(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	const unsigned char *p = (const unsigned char *)val;

	if (!val) {
		json_null(j, key);
		return;
	}
	sep(j, key);
	fputc('"', j->f);
	for (; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", j->f); break;
		case '\\': fputs("\\\\", j->f); break;
		case '\n': fputs("\\n", j->f); break;
		case '\t': fputs("\\t", j->f); break;
		case '\r': fputs("\\r", j->f); break;
		default:
			if (*p < 0x20)
				fprintf(j->f, "\\u%04x", *p);
			else
				fputc(*p, j->f);
		}
	}
	fputc('"', j->f);
}

void json_int(struct json *j, const char *key, long long val)
{
	sep(j, key);
	fprintf(j->f, "%lld", val);
}

void json_uint(struct json *j, const char *key, unsigned long long val)
{
	sep(j, key);
	fprintf(j->f, "%llu", val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	sep(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	sep(j, key);
	fputs("null", j->f);
}
