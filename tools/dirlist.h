/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The entries of a directory as "DIR/NAME" paths in name order, so that
 * the corpus walks of the benchmarks, the kernel cross-check and the kernel
 * oracle visit objects in the same, reproducible order.
 */
#ifndef DIRLIST_H
#define DIRLIST_H

#include <stddef.h>

/*
 * Every entry but "." and ".." into *paths (*n of them; free each and the
 * array with dirlist_free). Returns 0, or a negative errno: the directory
 * does not open (errno of opendir), or -ENOMEM.
 */
int dirlist(const char *dir, char ***paths, size_t *n);
void dirlist_free(char **paths, size_t n);

#endif
