/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loading into the running kernel: maps from the object's definitions,
 * ld_imm64 map references rewritten to fds, BPF_PROG_LOAD with a log that
 * grows until it fits, and the parsers of the log (statistics, error line,
 * the level-2 liveness listing).
 */
#include "kload.h"

#include <bpf/bpf.h>
#include <ctype.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The log rotates (this kernel refuses BPF_LOG_FIXED with level 2): when
 * the whole log does not fit, the load fails with ENOSPC, the start is lost,
 * and it is retried with a larger buffer. A level-2 log of a large program
 * runs to tens of megabytes; the statistics alone fit in a page.
 */
#define KLOG_SIZE_STATS (1u << 20)
#define KLOG_SIZE_INSNS (64u << 20)
#define KLOG_MAX (1u << 30)

int kload_probe(char *why, size_t why_len)
{
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd;

	if (geteuid() != 0) {
		snprintf(why, why_len, "not running as root");
		return -EPERM;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", insns, 2, NULL);
	if (fd < 0) {
		int err = errno;

		snprintf(why, why_len, "bpf(BPF_PROG_LOAD) refused: %s", strerror(err));
		return -err;
	}
	close(fd);
	return 0;
}

void kload_live_free(struct kload_live *l)
{
	free(l->mask);
	free(l->have);
	l->mask = NULL;
	l->have = NULL;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "  2   1: .1....6... (bf) ..." or "      1: .1....6... ...": pc and mask. */
static bool parse_line(const char *p, uint32_t *pc, uint16_t *mask)
{
	unsigned long a, b;
	char *end;
	int r;

	p = skip_blanks(p);
	if (!isdigit((unsigned char)*p))
		return false;
	a = strtoul(p, &end, 10);
	p = skip_blanks(end);
	if (*p != ':') {
		if (!isdigit((unsigned char)*p))
			return false;
		b = strtoul(p, &end, 10);
		if (*end != ':')
			return false;
		a = b;
		p = end;
	}
	p++;
	if (*p++ != ' ')
		return false;
	*mask = 0;
	for (r = 0; r < 10; r++) {
		if (p[r] == '0' + r)
			*mask |= (uint16_t)(1u << r);
		else if (p[r] != '.')
			return false;
	}
	if (p[10] != ' ')
		return false;
	*pc = (uint32_t)a;
	return true;
}

int kload_parse_log(const char *log, struct kload_live *out)
{
	const char *p = strstr(log, "Live regs before insn");
	int n = 0;

	if (!p)
		return -1;
	p = strchr(p, '\n');
	while (p && *p) {
		uint32_t pc;
		uint16_t mask;

		p++;
		if (!parse_line(p, &pc, &mask))
			break;
		if (pc < out->cnt) {
			out->mask[pc] = mask;
			out->have[pc] = true;
		}
		n++;
		p = strchr(p, '\n');
	}
	return n;
}

static int create_map(const struct df_map *m, char *why, size_t why_len)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = m->flags);
	uint32_t max = m->max_entries, value = m->value_size;
	int inner = -1, fd, err;

	if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && !max) {
		long n = sysconf(_SC_NPROCESSORS_CONF);

		max = n > 0 ? (uint32_t)n : 1;
	}
	if (m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || m->type == BPF_MAP_TYPE_HASH_OF_MAPS) {
		/* The object's inner template when it has one (BTF), else any map. */
		if (m->inner)
			inner = create_map(m->inner, why, why_len);
		else if ((inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL)) < 0)
			snprintf(why, why_len, "inner map for %s: %s", m->name, strerror(errno));
		if (inner < 0)
			return -1;
		opts.inner_map_fd = (uint32_t)inner;
		value = 4;
	}
	fd = bpf_map_create((enum bpf_map_type)m->type, NULL, m->key_size, value, max, &opts);
	err = errno;
	if (inner >= 0)
		close(inner);
	if (fd < 0)
		snprintf(why, why_len, "map %s (%s, key %u, value %u, max %u): %s",
			 m->name ? m->name : "?", df_map_type_name(m->type) ?
			 df_map_type_name(m->type) : "unknown", m->key_size, value, max,
			 strerror(err));
	return fd;
}

/* Maps and insns the kernel accepts; the fds in fds[] (closed by the caller). */
static int relocate(const struct df_prog *prog, struct bpf_insn *insns, int *fds,
		    char *why, size_t why_len)
{
	const struct df_object *obj = prog->obj;
	uint32_t pc;

	for (pc = 0; pc < prog->insn_cnt; pc++) {
		const struct df_insn *i = &prog->insns[pc];

		memcpy(&insns[pc], i, sizeof(*i));
		if (i->code == (DF_JMP | DF_CALL) && i->src_reg == DF_PSEUDO_KFUNC_CALL) {
			snprintf(why, why_len, "pc %u: kfunc call (ids are the object's BTF)", pc);
			return -1;
		}
		if (!df_insn_is_ldimm64(i))
			continue;
		if (i->src_reg == DF_PSEUDO_MAP_FD || i->src_reg == DF_PSEUDO_MAP_VALUE) {
			snprintf(why, why_len, "pc %u: map given by fd, not by index", pc);
			return -1;
		}
		if (i->src_reg == DF_PSEUDO_BTF_ID) {
			snprintf(why, why_len, "pc %u: ld_imm64 of a BTF id", pc);
			return -1;
		}
		if (i->src_reg == DF_PSEUDO_MAP_IDX || i->src_reg == DF_PSEUDO_MAP_IDX_VALUE) {
			uint32_t m = (uint32_t)i->imm;

			if (!obj || m >= obj->map_cnt) {
				snprintf(why, why_len, "pc %u: map index %u out of range", pc, m);
				return -1;
			}
			if (fds[m] < 0) {
				fds[m] = create_map(&obj->maps[m], why, why_len);
				if (fds[m] < 0)
					return -1;
			}
			insns[pc].src_reg = i->src_reg == DF_PSEUDO_MAP_IDX ?
				BPF_PSEUDO_MAP_FD : BPF_PSEUDO_MAP_VALUE;
			insns[pc].imm = fds[m];
		}
		if (pc + 1 < prog->insn_cnt) {
			pc++;
			memcpy(&insns[pc], &prog->insns[pc], sizeof(insns[pc]));
		}
	}
	return 0;
}

static bool is_stats_line(const char *p)
{
	return !strncmp(p, "processed ", 10) || !strncmp(p, "verification time", 17) ||
	       !strncmp(p, "stack depth", 11) || !strncmp(p, "insns processed", 15);
}

void kload_error_line(const char *log, char *out, size_t len)
{
	const char *p = log, *best = NULL;
	size_t best_n = 0;

	out[0] = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n && !is_stats_line(p)) {
			best = p;
			best_n = n;
		}
		p += n + (nl ? 1 : 0);
	}
	if (!best)
		return;
	/* Some messages lack their newline and run into the statistics. */
	for (p = best; p < best + best_n; p++) {
		if (p > best && p[-1] != ' ' && is_stats_line(p)) {
			best_n = (size_t)(p - best);
			break;
		}
	}
	snprintf(out, len, "%.*s", (int)(best_n > 200 ? 200 : best_n), best);
}

/*
 * "verification time %d usec" (log level & 4) and "processed %d insns
 * (limit %d) max_states_per_insn %d total_states %d peak_states %d ...".
 */
int kload_parse_stats(const char *log, struct kload_result *r)
{
	unsigned long long processed, limit, per_insn, total, peak, usec;
	const char *p, *q;

	r->have_stats = r->have_time = false;
	p = strstr(log, "verification time ");
	if (p && sscanf(p, "verification time %llu usec", &usec) == 1) {
		r->usec = usec;
		r->have_time = true;
	}
	for (q = log; (p = strstr(q, "processed ")); q = p + 1) {
		if ((p == log || p[-1] == '\n') &&
		    sscanf(p, "processed %llu insns (limit %llu) max_states_per_insn %llu "
			   "total_states %llu peak_states %llu", &processed, &limit, &per_insn,
			   &total, &peak) == 5) {
			r->processed = processed;
			r->total_states = total;
			r->peak_states = peak;
			r->have_stats = true;
			return 0;
		}
	}
	return -1;
}

const char *kload_verdict_name(enum kload_verdict v)
{
	switch (v) {
	case KLOAD_ACCEPT:
		return "accept";
	case KLOAD_REJECT:
		return "reject";
	case KLOAD_SKIP:
		return "skip";
	}
	return "?";
}

uint32_t kload_prog_type(const struct df_prog *prog)
{
	return prog->type ? prog->type : BPF_PROG_TYPE_SOCKET_FILTER;
}

void kload_result_free(struct kload_result *r)
{
	free(r->log);
	r->log = NULL;
}

/* BPF_PROG_LOAD with a log of *size bytes at *logp, grown on ENOSPC. */
static int load_insns(const struct df_prog *prog, const struct bpf_insn *insns, int level,
		      char **logp, uint32_t *size, int *err)
{
	const struct df_object *obj = prog->obj;
	char *log = *logp;
	int fd;

	for (;;) {
		LIBBPF_OPTS(bpf_prog_load_opts, opts,
			    .expected_attach_type = (enum bpf_attach_type)prog->expected_attach_type,
			    .kern_version = obj ? obj->kern_version : 0,
			    .log_level = (uint32_t)level,
			    .log_size = *size,
			    .log_buf = log);
		char *nl;

		log[0] = 0;
		fd = bpf_prog_load((enum bpf_prog_type)kload_prog_type(prog), NULL, "GPL", insns,
				   prog->insn_cnt, &opts);
		*err = fd < 0 ? errno : 0;
		log[*size - 1] = 0;
		if (fd >= 0)
			close(fd);
		if (fd >= 0 || *err != ENOSPC || *size >= KLOG_MAX)
			return fd >= 0 ? 0 : -1;
		nl = realloc(log, *size * 4);
		if (!nl)
			return -ENOMEM;
		*logp = log = nl;
		*size *= 4;
	}
}

int kload_load(const struct df_prog *prog, int log_level, bool keep_log,
	       struct kload_result *out)
{
	const struct df_object *obj = prog->obj;
	uint32_t map_cnt = obj ? obj->map_cnt : 0, i;
	uint32_t log_size = log_level & 3 ? KLOG_SIZE_INSNS : KLOG_SIZE_STATS;
	struct bpf_insn *insns = calloc(prog->insn_cnt ? prog->insn_cnt : 1, sizeof(*insns));
	int *fds = malloc((map_cnt ? map_cnt : 1) * sizeof(*fds));
	char *log = malloc(log_size);
	int ret = -ENOMEM, rc, err = 0;

	memset(out, 0, sizeof(*out));
	out->verdict = KLOAD_SKIP;
	out->type = kload_prog_type(prog);
	if (!insns || !fds || !log)
		goto out;
	for (i = 0; i < map_cnt; i++)
		fds[i] = -1;
	ret = 0;
	if (prog->err) {
		snprintf(out->msg, sizeof(out->msg), "bpfdf cannot load it: %s",
			 prog->err_msg ? prog->err_msg : strerror(-prog->err));
		goto out;
	}
	if (relocate(prog, insns, fds, out->msg, sizeof(out->msg)))
		goto out;
	rc = load_insns(prog, insns, log_level, &log, &log_size, &err);
	if (rc == -ENOMEM) {
		ret = rc;
		goto out;
	}
	kload_parse_stats(log, out);
	if (!rc) {
		out->verdict = KLOAD_ACCEPT;
	} else {
		kload_error_line(log, out->msg, sizeof(out->msg));
		if (out->msg[0]) {
			out->verdict = KLOAD_REJECT;
		} else {
			snprintf(out->msg, sizeof(out->msg), "bpf(BPF_PROG_LOAD) failed "
				 "without a verifier log: %s", strerror(err));
		}
	}
	if (keep_log) {
		out->log = log;
		log = NULL;
	}
out:
	for (i = 0; fds && i < map_cnt; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	free(insns);
	free(log);
	return ret;
}

/* The first line of the log that says why the load failed, for the skip reason. */
static void log_reason(const char *log, char *why, size_t why_len)
{
	const char *p = log, *last = NULL;
	size_t n = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len && !isdigit((unsigned char)*skip_blanks(p)) && strncmp(p, "func#", 5)) {
			last = p;
			n = len;
			break;
		}
		p += len + (nl ? 1 : 0);
	}
	if (last)
		snprintf(why, why_len, "no liveness listing: %.*s", (int)(n > 160 ? 160 : n),
			 last);
	else
		snprintf(why, why_len, "no liveness listing");
}

int kload_live_regs(const struct df_prog *prog, struct kload_live *out,
		    char *why, size_t why_len)
{
	struct kload_result r;
	int ret = 1;

	memset(out, 0, sizeof(*out));
	if (kload_load(prog, 2, true, &r)) {
		snprintf(why, why_len, "out of memory");
		return 1;
	}
	if (r.verdict == KLOAD_SKIP) {
		snprintf(why, why_len, "%s", r.msg);
		goto out;
	}
	out->cnt = prog->insn_cnt;
	out->mask = calloc(out->cnt ? out->cnt : 1, sizeof(*out->mask));
	out->have = calloc(out->cnt ? out->cnt : 1, sizeof(*out->have));
	if (!out->mask || !out->have) {
		snprintf(why, why_len, "out of memory");
		goto out;
	}
	out->accepted = r.verdict == KLOAD_ACCEPT;
	if (!out->accepted)
		snprintf(out->reason, sizeof(out->reason), "%s", r.msg);
	if (kload_parse_log(r.log, out) < 0) {
		log_reason(r.log, why, why_len);
		goto out;
	}
	ret = 0;
out:
	kload_result_free(&r);
	if (ret)
		kload_live_free(out);
	return ret;
}
