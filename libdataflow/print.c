/* SPDX-License-Identifier: BSD-2-Clause */
/* The print callback, the error format and small allocation helpers. */
#include "internal.h"

#include <stdio.h>

static int default_print(enum df_print_level level, const char *fmt,
			 va_list ap)
{
	if (level == DF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static df_print_fn print_fn = default_print;

df_print_fn df_set_print(df_print_fn fn)
{
	df_print_fn old = print_fn;

	print_fn = fn;
	return old;
}

static void vprint(enum df_print_level level, const char *fmt, va_list ap)
{
	if (print_fn)
		print_fn(level, fmt, ap);
}

static void print(enum df_print_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(level, fmt, ap);
	va_end(ap);
}

void df_printf(enum df_print_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(level, fmt, ap);
	va_end(ap);
}

static void verr_at(const char *file, const char *sec, long pc,
		    const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (sec && pc >= 0)
		print(DF_WARN, "%s: section '%s': pc %ld: %s\n", file, sec, pc, msg);
	else if (sec)
		print(DF_WARN, "%s: section '%s': %s\n", file, sec, msg);
	else if (pc >= 0)
		print(DF_WARN, "%s: pc %ld: %s\n", file, pc, msg);
	else
		print(DF_WARN, "%s: %s\n", file, msg);
}

void df_err_at(const char *file, const char *sec, long pc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr_at(file ? file : "<input>", sec, pc, fmt, ap);
	va_end(ap);
}

void df_prog_err(const struct df_prog *prog, long pc, const char *fmt, ...)
{
	const char *file = prog->obj && prog->obj->path ? prog->obj->path : "<input>";
	va_list ap;

	va_start(ap, fmt);
	verr_at(file, prog->section, pc, fmt, ap);
	va_end(ap);
}

char *df_strdup(const char *s)
{
	return s ? df_strndup(s, strlen(s)) : NULL;
}

char *df_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *df_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = malloc((size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int df_array_reserve(void **ptr, uint32_t cnt, size_t elem)
{
	uint64_t ncap;
	void *p;

	if (cnt && (cnt < 8 || (cnt & (cnt - 1))))
		return 0;
	ncap = cnt < 8 ? 8 : (uint64_t)cnt * 2;
	if (ncap > UINT32_MAX || ncap > SIZE_MAX / 2 / elem)
		return -ENOMEM;
	p = realloc(*ptr, (size_t)ncap * elem);
	if (!p)
		return -ENOMEM;
	*ptr = p;
	return 0;
}
