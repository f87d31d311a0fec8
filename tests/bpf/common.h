/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared includes of the BPF C test programs (compiled with clang -target bpf). */
#ifndef TESTS_BPF_COMMON_H
#define TESTS_BPF_COMMON_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* The pre-BTF map definition read from the "maps" section. */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

#endif
