/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Program-type hints for objects whose section names do not say the type
 * their loader gives them (Cilium's XDP objects use "from-netdev" and "2/N"
 * like its tc objects; iproute2 takes any section name). One hint per line:
 *
 *   GLOB  TYPE      # fnmatch(3) pattern over the object path, a type name
 *
 * A pattern matches an object when it matches the whole path or any part of
 * it that starts after a '/', so "cilium/bpf_xdp*.o" works for relative and
 * absolute paths. The first matching line wins; it sets the type of every
 * program of the object. docs/kernel-agreement.md.
 */
#ifndef KTYPES_H
#define KTYPES_H

#include <stddef.h>

struct ktype_hint {
	char *glob;
	char *type;
	unsigned line;
};

struct ktypes {
	struct ktype_hint *v;
	size_t cnt;
};

/* Returns 0, or -1 with "PATH:LINE: what is wrong" in err. */
int ktypes_load(const char *path, struct ktypes *t, char *err, size_t err_len);
void ktypes_free(struct ktypes *t);
/* The type name hinted for the object at path, or NULL. */
const char *ktypes_lookup(const struct ktypes *t, const char *path);

#endif
