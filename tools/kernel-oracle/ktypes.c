/* SPDX-License-Identifier: BSD-2-Clause */
/* Program-type hints of the kernel oracle (ktypes.h). */
#include "ktypes.h"
#include "ktable.h"

#include "dataflow.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add(struct ktypes *t, const char *glob, const char *type, unsigned line)
{
	struct ktype_hint *v = realloc(t->v, (t->cnt + 1) * sizeof(*v));

	if (!v)
		return -1;
	t->v = v;
	v[t->cnt].glob = strdup(glob);
	v[t->cnt].type = strdup(type);
	v[t->cnt].line = line;
	if (!v[t->cnt].glob || !v[t->cnt].type) {
		free(v[t->cnt].glob);
		free(v[t->cnt].type);
		return -1;
	}
	t->cnt++;
	return 0;
}

int ktypes_load(const char *path, struct ktypes *t, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	char buf[1024];
	unsigned line = 0;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!f)
		return ktable_fail(err, err_len, path, 0, "%s", strerror(errno));
	while (!rc && fgets(buf, sizeof(buf), f)) {
		char *hash = strchr(buf, '#'), *glob, *type, *extra, *save = NULL;
		uint32_t id;

		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			rc = ktable_fail(err, err_len, path, line, "line too long");
			break;
		}
		if (hash)
			*hash = 0;
		glob = strtok_r(buf, " \t\r\n", &save);
		if (!glob)
			continue;
		type = strtok_r(NULL, " \t\r\n", &save);
		extra = type ? strtok_r(NULL, " \t\r\n", &save) : NULL;
		if (!type)
			rc = ktable_fail(err, err_len, path, line,
					 "expected GLOB TYPE, got only '%s'", glob);
		else if (extra)
			rc = ktable_fail(err, err_len, path, line,
					 "expected GLOB TYPE, then nothing, got '%s'", extra);
		else if (df_prog_type_by_name(type, &id))
			rc = ktable_fail(err, err_len, path, line,
					 "unknown program type '%s'", type);
		else if (add(t, glob, type, line))
			rc = ktable_fail(err, err_len, path, line, "out of memory");
	}
	if (!rc && ferror(f))
		rc = ktable_fail(err, err_len, path, line, "read error");
	fclose(f);
	if (rc)
		ktypes_free(t);
	return rc;
}

void ktypes_free(struct ktypes *t)
{
	size_t i;

	for (i = 0; i < t->cnt; i++) {
		free(t->v[i].glob);
		free(t->v[i].type);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

const char *ktypes_lookup(const struct ktypes *t, const char *path)
{
	size_t i;

	for (i = 0; t && i < t->cnt; i++) {
		const char *s = path;

		for (;;) {
			if (!fnmatch(t->v[i].glob, s, FNM_PATHNAME))
				return t->v[i].type;
			s = strchr(s, '/');
			if (!s)
				break;
			s++;
		}
	}
	return NULL;
}
