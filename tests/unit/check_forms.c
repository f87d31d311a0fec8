/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every instruction form round-trips: for all 256 opcodes and a spread of
 * register, offset and immediate values, each encoding that df_insn_check()
 * accepts is disassembled and assembled again, in both listing styles, and
 * must give the same bytes. Rejected encodings must be rejected cleanly.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const int16_t offs[] = { 0, 1, -1, 4, 8, 16, 32, -8, -56, 0x7fff, -0x8000 };
static const int32_t imms[] = {
	0, 1, -1, 8, 16, 32, 64, 0x100, 0x110, 0x01, 0x40, 0x41, 0x50, 0x51,
	0xa0, 0xa1, 0xe1, 0xf1, 0x10001, 0x7fffffff, INT32_MIN,
};
static const int32_t imm2s[] = { 0, 5, -1 };

static int quiet(enum df_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

struct counts {
	unsigned long tried, accepted, ok;
	unsigned per_class[8];
};

/* Dump prog in one style, assemble it, compare. Returns true when equal. */
static bool roundtrip(struct df_prog *prog, bool no_prefix, char *text_out, size_t text_len)
{
	DF_OPTS(df_dump_opts, opts, .no_prefix = no_prefix, .no_lines = true);
	struct df_object *back = NULL;
	char *text = NULL;
	size_t len = 0;
	bool same;
	FILE *f = open_memstream(&text, &len);

	ck_assert(f);
	ck_assert_int_eq(df_prog_dump(f, prog, &opts), 0);
	fclose(f);
	snprintf(text_out, text_len, "%s", text);
	if (df_asm(text, len, "form", &back)) {
		free(text);
		return false;
	}
	same = back->prog_cnt == 1 && back->progs[0].insn_cnt == prog->insn_cnt &&
	       !memcmp(back->progs[0].insns, prog->insns,
		       prog->insn_cnt * sizeof(struct df_insn));
	df_object_free(back);
	free(text);
	return same;
}

static void try_form(struct counts *c, struct df_insn *slots, uint32_t n)
{
	struct df_object obj = { .path = "form" };
	struct df_prog prog = { .name = "form", .insns = slots, .insn_cnt = n, .obj = &obj };
	char why[160], text[512];
	long pc;

	c->tried++;
	if (df_insn_check(slots, n, 0, why, sizeof(why)))
		return;
	if (df_prog_check_why(&prog, &pc, why, sizeof(why)))
		return;
	c->accepted++;
	c->per_class[DF_CLASS(slots[0].code)]++;
	ck_assert_msg(roundtrip(&prog, false, text, sizeof(text)),
		      "form code %02x dst %u src %u off %d imm %d did not round-trip:\n%s",
		      slots[0].code, slots[0].dst_reg, slots[0].src_reg, slots[0].off,
		      slots[0].imm, text);
	ck_assert_msg(roundtrip(&prog, true, text, sizeof(text)),
		      "form code %02x dst %u src %u off %d imm %d did not round-trip "
		      "without the opcode prefix:\n%s",
		      slots[0].code, slots[0].dst_reg, slots[0].src_reg, slots[0].off,
		      slots[0].imm, text);
	c->ok++;
}

START_TEST(every_form)
{
	const struct df_insn exit_insn = { .code = DF_JMP | DF_EXIT };
	struct counts c = { 0 };
	struct df_insn slots[3];
	unsigned code, dst, src, o, i, j;

	df_set_print(quiet);
	for (code = 0; code < 256; code++)
		for (dst = 0; dst < 13; dst++)
			for (src = 0; src < 13; src++)
				for (o = 0; o < DF_ARRAY_SIZE(offs); o++)
					for (i = 0; i < DF_ARRAY_SIZE(imms); i++) {
						struct df_insn in = {
							.code = (uint8_t)code, .dst_reg = dst & 0xf,
							.src_reg = src & 0xf, .off = offs[o],
							.imm = imms[i],
						};

						slots[0] = in;
						if (!df_insn_is_ldimm64(&in)) {
							slots[1] = exit_insn;
							try_form(&c, slots, 2);
							continue;
						}
						for (j = 0; j < DF_ARRAY_SIZE(imm2s); j++) {
							memset(&slots[1], 0, sizeof(slots[1]));
							slots[1].imm = imm2s[j];
							slots[2] = exit_insn;
							try_form(&c, slots, 3);
						}
					}
	printf("forms: %lu encodings tried, %lu valid, %lu round-tripped in both styles\n",
	       c.tried, c.accepted, c.ok);
	printf("forms per class: ld %u ldx %u st %u stx %u alu %u jmp %u jmp32 %u alu64 %u\n",
	       c.per_class[0], c.per_class[1], c.per_class[2], c.per_class[3], c.per_class[4],
	       c.per_class[5], c.per_class[6], c.per_class[7]);
	for (i = 0; i < 8; i++)
		ck_assert_msg(c.per_class[i] > 0, "no valid form of class %u", i);
	ck_assert_uint_eq(c.ok, c.accepted);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("forms");
	TCase *tc = tcase_create("forms");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, every_form);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
