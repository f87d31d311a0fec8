/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The entries of a directory as "DIR/NAME" paths in name order, so that
 * the corpus walks of the benchmarks, the tests, the kernel cross-check and
 * the kernel oracle visit objects in the same, reproducible order.
 */
#ifndef DIRLIST_H
#define DIRLIST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Every entry but "." and ".." into *paths (*n of them; free each and the
 * array with dirlist_free). Returns 0, or a negative errno: the directory
 * does not open (errno of opendir), or -ENOMEM.
 */
int dirlist(const char *dir, char ***paths, size_t *n);
void dirlist_free(char **paths, size_t n);
/*
 * file() for path itself when it is not a directory, else for every ".o"
 * below it in name order, leaving out dot entries and invalid/ (malformed
 * objects). Returns 0, -ENOMEM, or the negative errno of stat() when path
 * itself does not exist.
 */
int dirlist_walk(const char *path, void (*file)(const char *path, void *cookie), void *cookie);

#endif
