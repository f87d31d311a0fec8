/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Load a program of our model into the running kernel: its maps created
 * from the object's definitions, ld_imm64 map references relocated to their
 * fds, the program type chosen as `bpfdf verify` chooses it. Shared by the
 * kernel oracle (tools/kernel-oracle), the verifier benchmark and the
 * register-liveness cross-check, which reads the level-2 "Live regs before
 * insn:" listing (docs/analyze.md, "Kernel cross-check").
 */
#ifndef KLOAD_H
#define KLOAD_H

#include "dataflow.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kload_verdict {
	KLOAD_ACCEPT,
	KLOAD_REJECT,		/* the kernel refused it and said why in its log */
	KLOAD_SKIP,		/* not loaded, or refused without a log: reason in msg */
};

/* The kernel's verdict and statistics for one program. */
struct kload_result {
	enum kload_verdict verdict;
	bool have_stats;	/* the "processed ..." line was in the log */
	bool have_time;		/* the "verification time ..." line (log level & 4) */
	uint64_t processed, total_states, peak_states, usec;
	uint32_t type;		/* the program type it was loaded as */
	char msg[256];		/* reject: the kernel's error line; skip: why */
	char *log;		/* the whole log, when asked to keep it */
};

/*
 * Can this process load programs? 0 yes; otherwise a negative errno and
 * the reason in why.
 */
int kload_probe(char *why, size_t why_len);

/* The type prog is loaded as: its guessed type, or a socket filter. */
uint32_t kload_prog_type(const struct df_prog *prog);

/*
 * Load prog with the given log level (1, 2, 4 or a combination), growing the
 * log until it fits. Returns 0 with *out filled (any verdict), or -ENOMEM.
 * With keep_log, out->log holds the log (kload_result_free releases it).
 */
int kload_load(const struct df_prog *prog, int log_level, bool keep_log,
	       struct kload_result *out);
void kload_result_free(struct kload_result *r);
const char *kload_verdict_name(enum kload_verdict v);

/*
 * Parsers of a verifier log. kload_parse_stats fills the statistics of r
 * (have_stats, have_time) and returns 0 when the "processed" line is there,
 * else -1; kload_error_line copies the line that says why a load failed:
 * the last line that is not a statistics line.
 */
int kload_parse_stats(const char *log, struct kload_result *r);
void kload_error_line(const char *log, char *out, size_t len);

/* The kernel's register liveness of one program. */
struct kload_live {
	uint16_t *mask;		/* per slot: bit r = rN live before it */
	bool *have;		/* per slot: the listing has a line for it */
	uint32_t cnt;		/* slots (prog->insn_cnt) */
	bool accepted;		/* the kernel's verdict */
	char reason[256];	/* when rejected: the log's error line */
};

/*
 * Load prog with log level 2 and parse the listing. The verdict does not
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
