/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench-verify (docs/verify-bench.md): verify every program of the
 * given files (directories are walked, invalid/ skipped) in each built-in
 * pruning mode and print one row per program: verdict, processed
 * instructions, total states and time per mode. When bpf() works, the same
 * program is loaded into the running kernel with BPF_LOG_STATS and the
 * kernel's verdict, processed insns, total and peak states and verification
 * time go in the same row. The summary gives the median and worst ratios
 * of states and time against the kernel on the programs both accept.
 * Each program runs in a forked child, so one crash costs one row; each
 * mode (and the kernel load) runs -r times (default 3) and the fastest run
 * counts, which keeps first-run effects out of the comparison.
 *
 *   bench_verify [-q] [-r N] [--no-kernel] FILE|DIR...
 */
#include "verify.h"
#include "bench_util.h"

/* The kernel side: map creation and relocation of tests/kernel/kload.c. */
#include "kload.c"

#include <dirent.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define NMODES 3
#define KSTATS_LOG (1u << 20)

struct run_stats {
	int verdict;		/* enum df_verdict, or -1: not run / failed */
	uint64_t processed, total_states, peak_states;
	double usec;
};

struct sample {
	struct run_stats mode[NMODES];
	struct run_stats kernel;	/* verdict ACCEPT or REJECT, -1: not compared */
	char kwhy[240];			/* why the kernel was not compared, or its error */
};

struct ratio {
	double *v;
	size_t n;
};

struct totals {
	unsigned progs, crashed, accepted[NMODES], kaccepted, kcompared, both[NMODES];
	struct ratio states[NMODES], time[NMODES];
	double usec[NMODES], kusec;
};

static const struct df_prune_mode *modes[NMODES];
static bool quiet, use_kernel = true;
static int reps = 3;
static char kernel_off[200];

/* ------------------------------------------------------------------ */
/* The kernel's figures                                               */
/* ------------------------------------------------------------------ */

/* "processed %d insns (limit %d) max_states_per_insn %d total_states %d peak_states %d" */
static bool parse_kstats(const char *log, struct run_stats *k)
{
	const char *p = strstr(log, "verification time "), *q;
	unsigned long long processed, limit, per_insn, total, peak;
	unsigned long long usec;

	if (!p || sscanf(p, "verification time %llu usec", &usec) != 1)
		return false;
	for (q = log; (p = strstr(q, "processed ")); q = p + 1)
		if (sscanf(p, "processed %llu insns (limit %llu) max_states_per_insn %llu "
			   "total_states %llu peak_states %llu", &processed, &limit, &per_insn,
			   &total, &peak) == 5)
			break;
	if (!p)
		return false;
	k->processed = processed;
	k->total_states = total;
	k->peak_states = peak;
	k->usec = (double)usec;
	return true;
}

/* Load prog with BPF_LOG_STATS (the statistics lines without the per-insn log). */
static void kernel_stats(const struct df_prog *prog, struct sample *s)
{
	const struct df_object *obj = prog->obj;
	uint32_t map_cnt = obj ? obj->map_cnt : 0, i;
	struct bpf_insn *insns = calloc(prog->insn_cnt ? prog->insn_cnt : 1, sizeof(*insns));
	int *fds = malloc((map_cnt ? map_cnt : 1) * sizeof(*fds));
	char *log = malloc(KSTATS_LOG);
	enum bpf_prog_type type = prog->type ? (enum bpf_prog_type)prog->type :
		BPF_PROG_TYPE_SOCKET_FILTER;
	int fd;

	s->kernel.verdict = -1;
	if (!insns || !fds || !log) {
		snprintf(s->kwhy, sizeof(s->kwhy), "out of memory");
		goto out;
	}
	for (i = 0; i < map_cnt; i++)
		fds[i] = -1;
	if (relocate(prog, insns, fds, s->kwhy, sizeof(s->kwhy)))
		goto out;
	{
		LIBBPF_OPTS(bpf_prog_load_opts, opts,
			    .expected_attach_type = (enum bpf_attach_type)prog->expected_attach_type,
			    .log_level = 4, .log_size = KSTATS_LOG, .log_buf = log);

		log[0] = 0;
		fd = bpf_prog_load(type, NULL, "GPL", insns, prog->insn_cnt, &opts);
	}
	log[KSTATS_LOG - 1] = 0;
	if (fd >= 0)
		close(fd);
	if (!parse_kstats(log, &s->kernel)) {
		snprintf(s->kwhy, sizeof(s->kwhy), "no statistics (%s)",
			 fd >= 0 ? "loaded" : strerror(errno));
		goto out;
	}
	s->kernel.verdict = fd >= 0 ? DF_VERDICT_ACCEPT : DF_VERDICT_REJECT;
	if (fd < 0)
		log_error_line(log, s->kwhy, sizeof(s->kwhy));
out:
	for (i = 0; fds && i < map_cnt; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	free(insns);
	free(log);
}

/* ------------------------------------------------------------------ */
/* One program                                                        */
/* ------------------------------------------------------------------ */

static void run_child(const struct df_prog *prog, int fd)
{
	struct sample s;
	int m, rep;

	memset(&s, 0, sizeof(s));
	for (m = 0; m < NMODES; m++) {
		s.mode[m].verdict = -1;
		for (rep = 0; rep < reps; rep++) {
			DF_OPTS(df_verify_opts, opts, .mode = modes[m]);
			struct df_verify_result *r = NULL;
			double usec;

			if (df_verify(prog, &opts, &r) || !r)
				break;
			usec = (double)r->stats.time_ns / 1e3;
			if (!rep || usec < s.mode[m].usec)
				s.mode[m].usec = usec;
			s.mode[m].verdict = r->verdict;
			s.mode[m].processed = r->stats.processed;
			s.mode[m].total_states = r->stats.total_states;
			s.mode[m].peak_states = r->stats.peak_states;
			df_verify_result_free(r);
		}
	}
	s.kernel.verdict = -1;
	for (rep = 0; use_kernel && rep < reps; rep++) {
		struct sample k;

		memset(&k, 0, sizeof(k));
		kernel_stats(prog, &k);
		if (k.kernel.verdict < 0 && rep)
			break;
		if (!rep || k.kernel.usec < s.kernel.usec) {
			s.kernel = k.kernel;
			memcpy(s.kwhy, k.kwhy, sizeof(s.kwhy));
		}
	}
	if (!use_kernel)
		snprintf(s.kwhy, sizeof(s.kwhy), "%s", kernel_off);
	if (write(fd, &s, sizeof(s)) != (ssize_t)sizeof(s))
		_exit(3);
	_exit(0);
}

static const char *vname(int v)
{
	return v < 0 ? "-" : df_verdict_name((enum df_verdict)v);
}

static void ratio_add(struct ratio *r, double v)
{
	double *nv = realloc(r->v, (r->n + 1) * sizeof(*nv));

	if (!nv)
		exit(2);
	nv[r->n++] = v;
	r->v = nv;
}

static void tally(struct totals *t, const struct sample *s)
{
	int m;

	if (s->kernel.verdict >= 0) {
		t->kcompared++;
		t->kusec += s->kernel.usec;
	}
	t->kaccepted += s->kernel.verdict == DF_VERDICT_ACCEPT;
	for (m = 0; m < NMODES; m++) {
		const struct run_stats *r = &s->mode[m];

		t->usec[m] += r->usec;
		if (r->verdict != DF_VERDICT_ACCEPT)
			continue;
		t->accepted[m]++;
		if (s->kernel.verdict != DF_VERDICT_ACCEPT)
			continue;
		t->both[m]++;
		/* a kernel count of 0 states or 0 usec: compare with 1 */
		ratio_add(&t->states[m], (double)r->total_states /
			  (double)(s->kernel.total_states ? s->kernel.total_states : 1));
		ratio_add(&t->time[m], r->usec / (s->kernel.usec > 0 ? s->kernel.usec : 1.0));
	}
}

static void print_row(const char *name, const struct df_prog *prog, const struct sample *s)
{
	int m;

	printf("%-72s %6u", name, prog->insn_cnt);
	for (m = 0; m < NMODES; m++)
		printf(" | %-6.6s %7llu %6llu %9.0f", vname(s->mode[m].verdict),
		       (unsigned long long)s->mode[m].processed,
		       (unsigned long long)s->mode[m].total_states, s->mode[m].usec);
	if (s->kernel.verdict >= 0)
		printf(" | %-6.6s %7llu %6llu %5llu %9.0f", vname(s->kernel.verdict),
		       (unsigned long long)s->kernel.processed,
		       (unsigned long long)s->kernel.total_states,
		       (unsigned long long)s->kernel.peak_states, s->kernel.usec);
	else
		printf(" | -");
	if (s->kwhy[0] && (s->kernel.verdict < 0 || s->kernel.verdict == DF_VERDICT_REJECT))
		printf("  (kernel: %s)", s->kwhy);
	putchar('\n');
}

static void bench_file(const char *path, void *cookie)
{
	struct totals *t = cookie;
	struct df_object *obj;
	uint32_t i;

	if (df_object_open(path, NULL, &obj)) {
		printf("%-72s cannot be opened\n", path);
		return;
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *prog = &obj->progs[i];
		char name[256];
		struct sample s;

		if (prog->err)
			continue;
		snprintf(name, sizeof(name), "%s:%s", path, prog->name);
		t->progs++;
		if (bench_fork(run_child, prog, &s, sizeof(s))) {
			t->crashed++;
			printf("%-72s %6u  crashed\n", name, prog->insn_cnt);
			continue;
		}
		tally(t, &s);
		if (!quiet)
			print_row(name, prog, &s);
	}
	df_object_free(obj);
}

/* ------------------------------------------------------------------ */
/* Summary                                                            */
/* ------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void print_ratio(const char *what, struct ratio *r, double target)
{
	size_t within = 0, i;
	double med;

	if (!r->n) {
		printf("    %-13s -\n", what);
		return;
	}
	qsort(r->v, r->n, sizeof(*r->v), cmp_double);
	for (i = 0; i < r->n; i++)
		within += r->v[i] <= target;
	med = r->n % 2 ? r->v[r->n / 2] : (r->v[r->n / 2 - 1] + r->v[r->n / 2]) / 2;
	printf("    %-13s median %.3f, worst %.3f, best %.3f; %zu of %zu within %.1fx\n", what,
	       med, r->v[r->n - 1], r->v[0], within, r->n, target);
}

static void summary(struct totals *t)
{
	int m;

	printf("\n%u programs%s", t->progs, t->crashed ? "" : "\n");
	if (t->crashed)
		printf(" (%u crashed)\n", t->crashed);
	printf("accepted: ");
	for (m = 0; m < NMODES; m++)
		printf("%s %u, ", modes[m]->name, t->accepted[m]);
	if (t->kcompared)
		printf("kernel %u (of the %u it verified)\n", t->kaccepted, t->kcompared);
	else
		printf("kernel not compared (%s)\n", kernel_off);
	printf("verification time (s): ");
	for (m = 0; m < NMODES; m++)
		printf("%s %.3f, ", modes[m]->name, t->usec[m] / 1e6);
	printf("kernel %.3f\n", t->kusec / 1e6);
	if (!t->kcompared)
		return;
	for (m = 0; m < NMODES; m++) {
		printf("  %s against the kernel, on the %u programs both accept:\n",
		       modes[m]->name, t->both[m]);
		print_ratio("total_states", &t->states[m], 1.2);
		print_ratio("time", &t->time[m], 1.0);
	}
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	int i = 1, m;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-q"))
			quiet = true;
		else if (!strcmp(argv[i], "--no-kernel"))
			use_kernel = false;
		else if (!strcmp(argv[i], "-r") && i + 1 < argc && atoi(argv[i + 1]) > 0)
			reps = atoi(argv[++i]);
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: bench_verify [-q] [-r N] [--no-kernel] FILE|DIR...\n");
		return 2;
	}
	modes[0] = &df_prune_exact;
	modes[1] = &df_prune_regs;
	modes[2] = &df_prune_full;
	if (!use_kernel)
		snprintf(kernel_off, sizeof(kernel_off), "--no-kernel");
	else if (kload_probe(kernel_off, sizeof(kernel_off)))
		use_kernel = false;
	df_set_print(bench_silent);
	printf("%-72s %6s", "program", "insns");
	for (m = 0; m < NMODES; m++)
		printf(" | %-6.6s %7s %6s %9s", modes[m]->name, "insns", "states", "usec");
	printf(" | %-6s %7s %6s %5s %9s\n", "kernel", "insns", "states", "peak", "usec");
	for (; i < argc; i++)
		bench_walk(argv[i], bench_file, &t);
	summary(&t);
	for (m = 0; m < NMODES; m++) {
		free(t.states[m].v);
		free(t.time[m].v);
	}
	return t.crashed ? 1 : 0;
}
