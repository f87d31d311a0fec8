/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A whole text file in memory, for the loaders of the test data (fixtures,
 * the kernel oracle's table and type hints, the agreement list).
 */
#ifndef READALL_H
#define READALL_H

#include <stddef.h>

/*
 * The bytes of path, NUL-terminated, with their count in *len (free the
 * buffer); NULL with "PATH: reason" in err when it cannot be read.
 */
char *readall(const char *path, size_t *len, char *err, size_t err_len);

#endif
