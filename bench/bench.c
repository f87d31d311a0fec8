/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench: run argtrack + stack + regs over each program of the given
 * files (directories are walked) and print one table line per program:
 * instructions, analysis time, instructions per second, peak memory per
 * instruction, and the time of the CFG and of each analysis. Each program
 * runs in a forked child so that its peak RSS (getrusage ru_maxrss, minus
 * the child's RSS at the start) is its own.
 * Time covers df_pipeline_new + the three analyses, not loading the file;
 * the totals also give the CPU time of the same span, the steadier figure
 * on a machine shared with other work.
 *
 *   bench [-q] FILE|DIR...      (-q: only the totals)
 */
#include "dataflow.h"
#include "bench_util.h"
#include "dirlist.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NANALYSES 3
static const char *const names[NANALYSES] = { "argtrack", "stack", "regs" };

struct sample {
	int status;		/* 0 ok, else -errno of the pipeline */
	double seconds;
	double cpu;		/* CPU time of the same span */
	double cfg;		/* df_pipeline_new(): the CFG */
	double each[NANALYSES];	/* seconds per analysis, in names[] order */
	long rss_kb;		/* peak RSS growth */
};

struct totals {
	unsigned progs, ok, failed;
	uint64_t insns;
	double seconds, cpu, cfg;
	double each[NANALYSES];
};

static bool quiet;

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* The child: analyse, report a sample through the pipe. */
static void run_child(const struct df_prog *prog, int fd)
{
	struct sample s = { 0 };
	struct df_pipeline *p = NULL;
	long rss0 = maxrss_kb();
	double c0 = cpu_now(), t0 = bench_now();
	unsigned i;
	int err;

	err = df_pipeline_new(prog, NULL, &p);
	s.cfg = bench_now() - t0;
	for (i = 0; !err && i < NANALYSES; i++) {
		double t1 = bench_now();

		/* argtrack runs first, so stack's time is its own. */
		err = df_pipeline_run(p, names[i]);
		s.each[i] = bench_now() - t1;
	}
	s.seconds = bench_now() - t0;
	s.cpu = cpu_now() - c0;
	s.rss_kb = maxrss_kb() - rss0;
	s.status = err;
	df_pipeline_free(p);
	if (write(fd, &s, sizeof(s)) != (ssize_t)sizeof(s))
		_exit(3);
	_exit(0);
}

static void bench_file(const char *path, void *cookie)
{
	struct totals *t = cookie;
	struct df_object *obj;
	uint32_t i;

	if (df_object_open(path, NULL, &obj)) {
		printf("%-58s cannot be opened\n", path);
		return;
	}
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *prog = &obj->progs[i];
		char name[256];
		struct sample s;
		int err;

		if (prog->err)
			continue;
		snprintf(name, sizeof(name), "%s:%s", path, prog->name);
		t->progs++;
		err = bench_fork(run_child, prog, &s, sizeof(s));
		if (!err)
			err = s.status;
		if (err) {
			t->failed++;
			if (!quiet)
				printf("%-58s %9u  failed: %s\n", name, prog->insn_cnt,
				       strerror(-err));
			continue;
		}
		t->ok++;
		t->insns += prog->insn_cnt;
		t->seconds += s.seconds;
		t->cpu += s.cpu;
		t->cfg += s.cfg;
		for (unsigned k = 0; k < NANALYSES; k++)
			t->each[k] += s.each[k];
		if (!quiet)
			printf("%-58s %9u %10.4f %12.0f %10.1f %8.3f %8.3f %8.3f %8.3f\n", name,
			       prog->insn_cnt, s.seconds,
			       s.seconds > 0 ? prog->insn_cnt / s.seconds : 0.0,
			       prog->insn_cnt ? s.rss_kb * 1024.0 / prog->insn_cnt : 0.0,
			       s.cfg, s.each[0], s.each[1], s.each[2]);
	}
	df_object_free(obj);
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	double t0;
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "-q")) {
		quiet = true;
		i++;
	}
	if (i >= argc || argv[i][0] == '-') {
		fprintf(stderr, "usage: bench [-q] FILE|DIR...\n");
		return 2;
	}
	if (!bench_paths_exist("bench", argv + i, argc - i))
		return 2;
	df_set_print(bench_silent);
	printf("%-58s %9s %10s %12s %10s %8s %8s %8s %8s\n", "program", "insns", "time (s)",
	       "insn/s", "B/insn", "cfg", names[0], names[1], names[2]);
	t0 = bench_now();
	for (; i < argc; i++)
		if (dirlist_walk(argv[i], bench_file, &t))
			return 2;
	printf("total: %u programs (%u analysed, %u failed), %llu insns, analysis %.3f s "
	       "(%.0f insn/s), cpu %.3f s, wall %.3f s\n", t.progs, t.ok, t.failed,
	       (unsigned long long)t.insns, t.seconds,
	       t.seconds > 0 ? (double)t.insns / t.seconds : 0.0, t.cpu, bench_now() - t0);
	printf("per analysis: cfg %.3f s, %s %.3f s, %s %.3f s, %s %.3f s\n", t.cfg,
	       names[0], t.each[0], names[1], t.each[1], names[2], t.each[2]);
	return t.failed ? 1 : 0;
}
