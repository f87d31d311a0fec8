/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Load a program of our model into the running kernel with log level 2 and
 * read back the verifier's "Live regs before insn:" listing (docs/analyze.md,
 * "Kernel cross-check").
 */
#ifndef KLOAD_H
#define KLOAD_H

#include "dataflow.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's register liveness of one program. */
struct kload_live {
	uint16_t *mask;		/* per slot: bit r = rN live before it */
	bool *have;		/* per slot: the listing has a line for it */
	uint32_t cnt;		/* slots (prog->insn_cnt) */
	bool accepted;		/* the kernel's verdict */
	char reason[200];	/* when rejected: the log's error line */
};

/*
 * Can this process load programs? 0 yes; otherwise a negative errno and
 * the reason in why.
 */
int kload_probe(char *why, size_t why_len);

/*
 * Create the program's maps, relocate its map references to their fds,
 * load it with log level 2 and parse the listing. The verdict does not
 * matter: the listing is printed before the main verification walk.
 * Returns 0 with *out filled, or 1 when the program cannot be compared,
 * with the reason in why (no listing, a map the kernel refuses, an
 * encoding only our model has).
 */
int kload_live_regs(const struct df_prog *prog, struct kload_live *out,
		    char *why, size_t why_len);
void kload_live_free(struct kload_live *l);

/*
 * Parse a verifier log: the "Live regs before insn:" block, with or
 * without SCC numbers. Returns the number of lines read, or -1 when the
 * block is missing.
 */
int kload_parse_log(const char *log, struct kload_live *out);

#endif
