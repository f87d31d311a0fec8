/* SPDX-License-Identifier: BSD-2-Clause */
/* Sorted directory listings (dirlist.h). */
#include "dirlist.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dirlist(const char *dir, char ***paths, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t cnt = 0;

	*paths = NULL;
	*n = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char **nv;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (!nv || asprintf(&nv[cnt], "%s/%s", dir, de->d_name) < 0) {
			closedir(d);
			dirlist_free(nv ? nv : v, cnt);
			return -ENOMEM;
		}
		v = nv;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_str);
	*paths = v;
	*n = cnt;
	return 0;
}

void dirlist_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static int walk(const char *path, bool top, void (*file)(const char *, void *), void *cookie)
{
	struct stat st;
	char **v;
	size_t n, i;
	int err = 0;

	if (stat(path, &st))
		return top ? -errno : 0;
	if (!S_ISDIR(st.st_mode)) {
		size_t len = strlen(path);

		if (top || (len > 2 && !strcmp(path + len - 2, ".o")))
			file(path, cookie);
		return 0;
	}
	if (dirlist(path, &v, &n) == -ENOMEM)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++) {
		const char *name = strrchr(v[i], '/') + 1;

		/* invalid/ holds malformed objects, not input to walk through */
		if (name[0] != '.' && strcmp(name, "invalid"))
			err = walk(v[i], false, file, cookie);
	}
	dirlist_free(v, n);
	return err;
}

int dirlist_walk(const char *path, void (*file)(const char *path, void *cookie), void *cookie)
{
	return walk(path, true, file, cookie);
}
