/* SPDX-License-Identifier: BSD-2-Clause */
/* The object writers: ELF written and read back, llvm-objdump's view, raw bytes, errors. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asm_test.h"


static char *tmp_path(void)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/check_asm_elfXXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	return path;
}

static const char *func_name_of(const struct df_prog *p, int64_t pc, uint32_t *rel)
{
	const struct df_func *f;

	ck_assert(pc >= 0 && pc < p->insn_cnt);
	f = df_prog_func_at(p, (uint32_t)pc);
	ck_assert_ptr_nonnull(f);
	*rel = (uint32_t)pc - f->start;
	return f->name;
}

/*
 * Functions match by name: same arguments, linkage, length and body. The
 * loader places subprograms in call order, so calls compare by target.
 */
static void same_prog(const struct df_prog *a, const struct df_prog *b)
{
	uint32_t i, j, k;

	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->section, b->section);
	ck_assert_uint_eq(a->insn_cnt, b->insn_cnt);
	ck_assert_uint_eq(a->func_cnt, b->func_cnt);
	for (i = 0; i < a->func_cnt; i++) {
		const struct df_func *fa = &a->funcs[i], *fb = NULL;

		for (j = 0; j < b->func_cnt; j++)
			if (!strcmp(b->funcs[j].name, fa->name))
				fb = &b->funcs[j];
		ck_assert_msg(fb != NULL, "function %s lost", fa->name);
		ck_assert_int_eq(fa->len, fb->len);
		if (fa->arg_cnt >= 0)
			ck_assert_int_eq(fa->arg_cnt, fb->arg_cnt);
		ck_assert_int_eq(fa->linkage, fb->linkage);
		for (k = 0; k < fa->len; k++) {
			const struct df_insn *x = &a->insns[fa->start + k];
			const struct df_insn *y = &b->insns[fb->start + k];
			uint32_t ra, rb;

			ck_assert_int_eq(x->code, y->code);
			ck_assert_int_eq(x->dst_reg, y->dst_reg);
			ck_assert_int_eq(x->src_reg, y->src_reg);
			if (df_insn_is_pseudo_call(x) || df_insn_is_pseudo_func(x)) {
				ck_assert_str_eq(func_name_of(a, fa->start + k + x->imm + 1, &ra),
						 func_name_of(b, fb->start + k + y->imm + 1, &rb));
				ck_assert_uint_eq(ra, rb);
				continue;
			}
			if (x->code == (DF_JMP | DF_CALL) && x->src_reg == DF_PSEUDO_KFUNC_CALL) {
				ck_assert_str_eq(df_prog_kfunc_at(a, fa->start + k)->name,
						 df_prog_kfunc_at(b, fb->start + k)->name);
				ck_assert_int_eq(df_prog_kfunc_at(a, fa->start + k)->arg_cnt,
						 df_prog_kfunc_at(b, fb->start + k)->arg_cnt);
				continue;
			}
			ck_assert_int_eq(x->off, y->off);
			ck_assert_int_eq(x->imm, y->imm);
			if (df_prog_map_at(a, fa->start + k))
				ck_assert_str_eq(df_prog_map_at(a, fa->start + k)->name,
						 df_prog_map_at(b, fb->start + k)->name);
		}
	}
}

#define ROUNDTRIP \
	".license \"GPL\"\n" \
	".map counts hash key=4 value=8 max=64\n" \
	".map arr array key=4 value=64 max=1 flags=0x400\n" \
	".kfunc bpf_rcu_read_lock 0\n" \
	".kfunc bpf_obj_drop_impl 2 id=9\n" \
	".prog main \"tc\"\n" \
	"\tr6 = r1\n\tr1 = 1\n\tr2 = 2\n\tcall add2\n" \
	"\tr2 = subprog[cb]\n\tcall bpf_rcu_read_lock\n" \
	"\t*(u32 *)(r10 -4) = 0\n\tr2 = r10\n\tr2 += -4\n" \
	"\tr1 = map[counts]\n\tcall bpf_map_lookup_elem#1\n" \
	"\tif r0 == 0x0 goto out\n\tlock *(u64 *)(r0 +0) += r6\n" \
	"out:\n\tr0 = 0\n\texit\n" \
	".func add2 2 static\n\tr0 = r1\n\tr0 += r2\n\tcall glob\n\texit\n" \
	".func cb 2\n\tr0 = 0\n\texit\n" \
	".func glob 1 global\n\tr0 = 1\n\texit\n" \
	".prog other \"tc\"\n" \
	".func other 1\n\tr1 = map[arr]\n\tr1 = map[fd:7]\n" \
	"\tcall bpf_obj_drop_impl#9\n\tr0 = 1\n\texit\n" \
	".prog x \"xdp\"\n" \
	"\tgoto l\nl:\tr0 = 2\n\texit\n"

START_TEST(test_elf_roundtrip)
{
	struct df_object *a = asm_test_assemble(ROUNDTRIP, "rt.s"), *b = NULL;
	char *path = tmp_path();
	uint32_t i;
	int err;

	ck_assert_int_eq(df_object_write_elf(a, path), 0);
	err = df_object_open(path, NULL, &b);
	ck_assert_msg(!err, "reading back the written ELF failed (%d): %s", err, asm_test_msgs);
	ck_assert_str_eq(b->license, "GPL");
	ck_assert_uint_eq(b->map_cnt, a->map_cnt);
	for (i = 0; i < a->map_cnt; i++) {
		ck_assert_str_eq(a->maps[i].name, b->maps[i].name);
		ck_assert_uint_eq(a->maps[i].type, b->maps[i].type);
		ck_assert_uint_eq(a->maps[i].key_size, b->maps[i].key_size);
		ck_assert_uint_eq(a->maps[i].value_size, b->maps[i].value_size);
		ck_assert_uint_eq(a->maps[i].max_entries, b->maps[i].max_entries);
		ck_assert_uint_eq(a->maps[i].flags, b->maps[i].flags);
	}
	ck_assert_uint_eq(b->prog_cnt, a->prog_cnt);
	for (i = 0; i < a->prog_cnt; i++) {
		const struct df_prog *pb = df_object_find_prog(b, a->progs[i].name);

		ck_assert_msg(pb != NULL, "program %s lost", a->progs[i].name);
		ck_assert_int_eq(pb->err, 0);
		ck_assert_uint_eq(pb->type, a->progs[i].type);
		same_prog(&a->progs[i], pb);
	}
	/* the entry's unknown argument count is written as the context pointer */
	ck_assert_int_eq(df_object_find_prog(b, "main")->funcs[0].arg_cnt, 1);
	df_object_free(b);
	unlink(path);
	df_object_free(a);
}
END_TEST

START_TEST(test_elf_stack_args)
{
	struct df_object *a = asm_test_assemble(SUM12, "sum12.s"), *b = NULL;
	char *path = tmp_path();

	ck_assert_int_eq(df_object_write_elf(a, path), 0);
	ck_assert_int_eq(df_object_open(path, NULL, &b), 0);
	same_prog(&a->progs[0], &b->progs[0]);
	ck_assert_int_eq(b->progs[0].funcs[1].arg_cnt, 12);
	ck_assert_int_eq(df_prog_check(&b->progs[0]), 0);
	df_object_free(b);
	unlink(path);
	df_object_free(a);
}
END_TEST

/* What llvm-objdump sees: clang's layout, relocations against maps, kfuncs, .text. */
START_TEST(test_elf_objdump)
{
	struct df_object *a;
	char cmd[256], line[512], *path;
	bool main_sym = false, text_sym = false, map_rel = false, kf_rel = false,
	     call_rel = false, lic = false;
	FILE *f;

	if (system("command -v llvm-objdump >/dev/null 2>&1")) {
		fprintf(stderr, "SKIP: llvm-objdump not installed; ELF layout not checked by it\n");
		return;
	}
	a = asm_test_assemble(ROUNDTRIP, "rt.s");
	path = tmp_path();
	ck_assert_int_eq(df_object_write_elf(a, path), 0);
	snprintf(cmd, sizeof(cmd), "llvm-objdump -d -r -t %s 2>&1", path);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		main_sym |= strstr(line, "<main>:") != NULL;
		text_sym |= strstr(line, "<add2>:") != NULL;
		map_rel |= strstr(line, "R_BPF_64_64") && strstr(line, "counts");
		kf_rel |= strstr(line, "R_BPF_64_32") && strstr(line, "bpf_rcu_read_lock");
		call_rel |= strstr(line, "R_BPF_64_32") && strstr(line, ".text");
		lic |= strstr(line, "license") && strstr(line, "_license");
	}
	ck_assert_int_eq(pclose(f), 0);
	ck_assert(main_sym && text_sym);
	ck_assert(map_rel && kf_rel && call_rel && lic);
	unlink(path);
	df_object_free(a);
}
END_TEST

START_TEST(test_write_errors)
{
	struct df_object *a = asm_test_assemble("r0 = 0\nexit\n", "w.s");

	asm_test_msgs[0] = 0;
	ck_assert_int_lt(df_object_write_elf(a, "/nonexistent-dir/x.o"), 0);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, "/nonexistent-dir/x.o: cannot create"));
	ck_assert_int_lt(df_prog_write_raw(&a->progs[0], "/nonexistent-dir/x.bin"), 0);
	df_object_free(a);
}
END_TEST

static Suite *elf_write_suite(void)
{
	Suite *s = suite_create("elf_write");
	TCase *tc = tcase_create("elf_write");

	tcase_add_checked_fixture(tc, asm_test_setup, asm_test_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_elf_roundtrip);
	tcase_add_test(tc, test_elf_stack_args);
	tcase_add_test(tc, test_elf_objdump);
	tcase_add_test(tc, test_write_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(elf_write_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
