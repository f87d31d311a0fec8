/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Corrupt ELF inputs made from real corpus objects: header, section table,
 * symbol and relocation damage, truncations, byte flips. Each must give a
 * clear error (or a loaded object whose broken programs say why); none may
 * crash, leak or read out of bounds (the sanitizer build runs this too).
 */
#include "internal.h"

#include <check.h>
#include <elf.h>
#include <stdio.h>

#define CORPUS SHARED_DIR "/corpus"
#define OBJ_CALLS CORPUS "/build/bpf2bpf.o"		/* .text calls, BTF, BTF.ext */
#define OBJ_MAPS CORPUS "/linux/sockex3_kern.o"	/* legacy maps, several sections */
#define OBJ_DATA CORPUS "/build/global_variable.o"	/* global data relocations */

static char msgs[8192];

static int capture(enum df_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(msgs);

	if (level == DF_WARN && n < sizeof(msgs) - 1)
		vsnprintf(msgs + n, sizeof(msgs) - n, fmt, ap);
	return 0;
}

struct img {
	unsigned char *p;
	size_t len;
};

static struct img load(const char *path)
{
	struct img im = { 0 };
	FILE *f = fopen(path, "rb");
	long n;

	ck_assert_msg(f, "cannot open %s: the shared corpus must be next to the repository", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	im.p = malloc((size_t)n);
	im.len = fread(im.p, 1, (size_t)n, f);
	fclose(f);
	ck_assert_uint_eq(im.len, (size_t)n);
	return im;
}

static Elf64_Ehdr *ehdr(struct img *im)
{
	return (Elf64_Ehdr *)im->p;
}

static Elf64_Shdr *shdr(struct img *im, unsigned i)
{
	return (Elf64_Shdr *)(im->p + ehdr(im)->e_shoff) + i;
}

static const char *sec_name(struct img *im, unsigned i)
{
	return (const char *)im->p + shdr(im, ehdr(im)->e_shstrndx)->sh_offset +
	       shdr(im, i)->sh_name;
}

static unsigned sec_by_name(struct img *im, const char *name)
{
	unsigned i;

	for (i = 1; i < ehdr(im)->e_shnum; i++)
		if (!strcmp(sec_name(im, i), name))
			return i;
	ck_abort_msg("no section %s", name);
	return 0;
}

static unsigned sec_by_type(struct img *im, uint32_t type, unsigned nth)
{
	unsigned i;

	for (i = 1; i < ehdr(im)->e_shnum; i++)
		if (shdr(im, i)->sh_type == type && !nth--)
			return i;
	ck_abort_msg("no section of type %u", type);
	return 0;
}

/* Relocation section applying to a code section. */
static unsigned code_rel(struct img *im)
{
	unsigned i;

	for (i = 1; i < ehdr(im)->e_shnum; i++)
		if (shdr(im, i)->sh_type == SHT_REL &&
		    (shdr(im, shdr(im, i)->sh_info)->sh_flags & SHF_EXECINSTR))
			return i;
	ck_abort_msg("no code relocations");
	return 0;
}

static Elf64_Rel *rel0(struct img *im)
{
	return (Elf64_Rel *)(im->p + shdr(im, code_rel(im))->sh_offset);
}

/* First global FUNC symbol. */
static Elf64_Sym *func_sym(struct img *im)
{
	Elf64_Shdr *st = shdr(im, sec_by_type(im, SHT_SYMTAB, 0));
	Elf64_Sym *s = (Elf64_Sym *)(im->p + st->sh_offset);
	size_t i;

	for (i = 0; i < st->sh_size / sizeof(*s); i++)
		if (ELF64_ST_TYPE(s[i].st_info) == STT_FUNC &&
		    ELF64_ST_BIND(s[i].st_info) == STB_GLOBAL)
			return &s[i];
	ck_abort_msg("no function symbol");
	return NULL;
}

enum expect {
	REJECT,		/* open fails, one line naming the file and the substring */
	PROG_FAILS,	/* opens; a program has err set, reported with the substring */
	WARNS,		/* opens; the substring was reported */
	EITHER,		/* opens or fails, cleanly */
};

struct mutation {
	const char *name;
	const char *base;
	void (*apply)(struct img *im);
	enum expect expect;
	const char *text;
};

static void m_elf32(struct img *im) { im->p[EI_CLASS] = ELFCLASS32; }
static void m_big_endian(struct img *im) { im->p[EI_DATA] = ELFDATA2MSB; }
static void m_machine(struct img *im) { ehdr(im)->e_machine = EM_X86_64; }
static void m_exec(struct img *im) { ehdr(im)->e_type = ET_EXEC; }
static void m_magic(struct img *im) { im->p[1] = 'X'; }
static void m_shoff_far(struct img *im) { ehdr(im)->e_shoff = im->len + 4096; }
static void m_shoff_zero(struct img *im) { ehdr(im)->e_shoff = 0; }
static void m_shnum_huge(struct img *im) { ehdr(im)->e_shnum = 0xff00; }
static void m_shentsize(struct img *im) { ehdr(im)->e_shentsize = 40; }
static void m_shstrndx(struct img *im) { ehdr(im)->e_shstrndx = 0xfe00; }
static void m_shstrndx_code(struct img *im) { ehdr(im)->e_shstrndx = sec_by_name(im, ".text"); }
static void m_text_offset(struct img *im) { shdr(im, sec_by_name(im, ".text"))->sh_offset = (Elf64_Off)1 << 40; }
static void m_text_size(struct img *im) { shdr(im, sec_by_name(im, ".text"))->sh_size = (Elf64_Xword)-8; }
static void m_text_odd(struct img *im) { shdr(im, sec_by_name(im, ".text"))->sh_size -= 3; }
static void m_text_zero(struct img *im) { shdr(im, sec_by_name(im, ".text"))->sh_size = 0; }
static void m_text_nobits(struct img *im) { shdr(im, sec_by_name(im, ".text"))->sh_type = SHT_NOBITS; }
static void m_sec_name(struct img *im) { shdr(im, 2)->sh_name = 0x7fffffff; }
static void m_symtab_entsize(struct img *im) { shdr(im, sec_by_type(im, SHT_SYMTAB, 0))->sh_entsize = 8; }
static void m_symtab_link(struct img *im) { shdr(im, sec_by_type(im, SHT_SYMTAB, 0))->sh_link = 0; }
static void m_symtab_size(struct img *im) { shdr(im, sec_by_type(im, SHT_SYMTAB, 0))->sh_size += 5; }
static void m_sym_name(struct img *im) { func_sym(im)->st_name = 0x7ffffff0; }
static void m_sym_shndx(struct img *im) { func_sym(im)->st_shndx = 999; }
static void m_sym_value(struct img *im) { func_sym(im)->st_value = (Elf64_Addr)1 << 40; }
static void m_sym_size(struct img *im) { func_sym(im)->st_size = (Elf64_Xword)-8; }
static void m_sym_unaligned(struct img *im) { func_sym(im)->st_value += 4; }
static void m_rel_off_unaligned(struct img *im) { rel0(im)->r_offset += 3; }
static void m_rel_off_far(struct img *im) { rel0(im)->r_offset = (Elf64_Addr)1 << 32; }
static void m_rel_sym(struct img *im) { rel0(im)->r_info = ELF64_R_INFO(0xffffff, ELF64_R_TYPE(rel0(im)->r_info)); }
static void m_rel_sym_null(struct img *im) { rel0(im)->r_info = ELF64_R_INFO(0, ELF64_R_TYPE(rel0(im)->r_info)); }
static void m_rel_type(struct img *im) { rel0(im)->r_info = ELF64_R_INFO(ELF64_R_SYM(rel0(im)->r_info), 3); }
static void m_rel_info(struct img *im) { shdr(im, code_rel(im))->sh_info = 999; }
static void m_rel_entsize(struct img *im) { shdr(im, code_rel(im))->sh_entsize = 24; }
static void m_rel_link(struct img *im) { shdr(im, code_rel(im))->sh_link = 1; }
static void m_rel_dup(struct img *im) { rel0(im)[1].r_offset = rel0(im)[0].r_offset; }
static void m_rel_to_license(struct img *im)
{
	/* point a map relocation at the license symbol */
	Elf64_Shdr *st = shdr(im, sec_by_type(im, SHT_SYMTAB, 0));
	Elf64_Sym *s = (Elf64_Sym *)(im->p + st->sh_offset);
	unsigned lic = sec_by_name(im, "license");
	size_t i;

	for (i = 1; i < st->sh_size / sizeof(*s); i++)
		if (s[i].st_shndx == lic)
			break;
	rel0(im)->r_info = ELF64_R_INFO(i, ELF64_R_TYPE(rel0(im)->r_info));
}
static void m_call_far(struct img *im)
{
	/* the relocated call of add2 in .text now points past the section */
	Elf64_Shdr *t = shdr(im, sec_by_name(im, ".text"));
	Elf64_Rel *r = (Elf64_Rel *)(im->p + shdr(im, sec_by_name(im, ".rel.text"))->sh_offset);

	*(int32_t *)(im->p + t->sh_offset + r->r_offset + 4) = 100000;
}
static void m_btf_magic(struct img *im) { im->p[shdr(im, sec_by_name(im, ".BTF"))->sh_offset] ^= 0xff; }
static void m_btf_size(struct img *im) { shdr(im, sec_by_name(im, ".BTF"))->sh_size = 10; }
static void m_ext_hdr_len(struct img *im) { *(uint32_t *)(im->p + shdr(im, sec_by_name(im, ".BTF.ext"))->sh_offset + 4) = 0x10000; }
static void m_ext_func_len(struct img *im) { *(uint32_t *)(im->p + shdr(im, sec_by_name(im, ".BTF.ext"))->sh_offset + 12) = 0xfffffff0; }
static void m_ext_rec_size(struct img *im)
{
	unsigned char *e = im->p + shdr(im, sec_by_name(im, ".BTF.ext"))->sh_offset;

	*(uint32_t *)(e + *(uint32_t *)(e + 4) + *(uint32_t *)(e + 8)) = 2;
}
static void m_maps_size(struct img *im) { shdr(im, sec_by_name(im, "maps"))->sh_size = 5; }
static void m_maps_offset(struct img *im) { shdr(im, sec_by_name(im, "maps"))->sh_offset = im->len - 2; }
static void m_license_unterminated(struct img *im)
{
	Elf64_Shdr *l = shdr(im, sec_by_name(im, "license"));

	memset(im->p + l->sh_offset, 'A', l->sh_size);
}
static void m_only_null(struct img *im) { ehdr(im)->e_shnum = 1; }

static const struct mutation mutations[] = {
	{ "elf32", OBJ_CALLS, m_elf32, REJECT, "ELF class 1" },
	{ "big-endian", OBJ_CALLS, m_big_endian, REJECT, "data encoding 2" },
	{ "wrong e_machine", OBJ_CALLS, m_machine, REJECT, "machine 62 is not BPF" },
	{ "executable", OBJ_CALLS, m_exec, REJECT, "not a relocatable object" },
	{ "bad magic", OBJ_CALLS, m_magic, REJECT, "not an ELF file" },
	{ "section table past the end", OBJ_CALLS, m_shoff_far, REJECT, "outside the file" },
	{ "no section table", OBJ_CALLS, m_shoff_zero, REJECT, "no section header table" },
	{ "huge section count", OBJ_CALLS, m_shnum_huge, REJECT, "do not fit in the file" },
	{ "section header size", OBJ_CALLS, m_shentsize, REJECT, "section header size 40" },
	{ "name table index out of range", OBJ_CALLS, m_shstrndx, REJECT, "section name table" },
	{ "name table is code", OBJ_CALLS, m_shstrndx_code, REJECT, "invalid name offset" },
	{ "code offset past the end", OBJ_CALLS, m_text_offset, REJECT, "extend past the end" },
	{ "huge code size", OBJ_CALLS, m_text_size, REJECT, "extend past the end" },
	{ "code size not a multiple of 8", OBJ_CALLS, m_text_odd, REJECT, "is not a multiple of 8" },
	{ "zero-size .text", OBJ_CALLS, m_text_zero, REJECT, "is not an instruction of section '.text'" },
	{ "NOBITS .text", OBJ_CALLS, m_text_nobits, PROG_FAILS, "not in a code section" },
	{ "section name offset", OBJ_CALLS, m_sec_name, REJECT, "invalid name offset" },
	{ "symbol entry size", OBJ_CALLS, m_symtab_entsize, REJECT, "symbol entry size 8" },
	{ "symbol string table link", OBJ_CALLS, m_symtab_link, REJECT, "string table link 0" },
	{ "symbol table size", OBJ_CALLS, m_symtab_size, REJECT, "symbol entry size" },
	{ "symbol name offset", OBJ_CALLS, m_sym_name, REJECT, "invalid name offset" },
	{ "symbol section index", OBJ_CALLS, m_sym_shndx, REJECT, "refers to section 999" },
	{ "subprogram offset huge", OBJ_CALLS, m_sym_value, PROG_FAILS, "outside section '.text'" },
	{ "subprogram size huge", OBJ_CALLS, m_sym_size, EITHER, NULL },
	{ "program size huge", OBJ_DATA, m_sym_size, PROG_FAILS, "outside the section or unaligned" },
	{ "program unaligned", OBJ_DATA, m_sym_unaligned, PROG_FAILS, "outside the section or unaligned" },
	{ "relocation offset unaligned", OBJ_CALLS, m_rel_off_unaligned, REJECT, "is not an instruction" },
	{ "relocation offset past the section", OBJ_MAPS, m_rel_off_far, REJECT, "is not an instruction" },
	{ "relocation symbol index", OBJ_MAPS, m_rel_sym, REJECT, "symbol index 16777215 is invalid" },
	{ "relocation null symbol", OBJ_DATA, m_rel_sym_null, REJECT, "symbol index 0 is invalid" },
	{ "relocation type on ld_imm64", OBJ_DATA, m_rel_type, PROG_FAILS, "unsupported relocation type 3" },
	{ "relocation target section", OBJ_CALLS, m_rel_info, REJECT, "apply to section 999" },
	{ "relocation entry size", OBJ_MAPS, m_rel_entsize, REJECT, "relocation entry size 24" },
	{ "relocation symbol table link", OBJ_MAPS, m_rel_link, REJECT, "is not the symbol table" },
	{ "two relocations on one instruction", OBJ_MAPS, m_rel_dup, REJECT, "two relocations" },
	{ "relocation against the license", OBJ_MAPS, m_rel_to_license, PROG_FAILS, "holds no map, data or code" },
	{ "call far outside .text", OBJ_CALLS, m_call_far, PROG_FAILS, "outside section '.text'" },
	{ "BTF magic", OBJ_CALLS, m_btf_magic, WARNS, "invalid BTF" },
	{ "BTF truncated", OBJ_CALLS, m_btf_size, WARNS, "invalid BTF" },
	{ "BTF.ext header length", OBJ_CALLS, m_ext_hdr_len, WARNS, "header length 65536" },
	{ "BTF.ext func_info length", OBJ_CALLS, m_ext_func_len, WARNS, "outside the section" },
	{ "BTF.ext record size", OBJ_CALLS, m_ext_rec_size, WARNS, "record size 2 is invalid" },
	{ "legacy maps section of 5 bytes", OBJ_MAPS, m_maps_size, REJECT, "map definition size" },
	{ "legacy maps past the end", OBJ_MAPS, m_maps_offset, REJECT, "extend past the end" },
	{ "license not terminated", OBJ_MAPS, m_license_unterminated, EITHER, NULL },
	{ "only the null section", OBJ_MAPS, m_only_null, REJECT, "section name table" },
};

static void check_outcome(const char *name, int err, struct df_object *obj,
			  enum expect expect, const char *text)
{
	uint32_t i;
	bool prog_failed = false;

	if (err) {
		ck_assert_msg(expect == REJECT || expect == EITHER,
			      "%s: rejected but expected to load: %s", name, msgs);
		ck_assert_int_lt(err, 0);
		ck_assert_ptr_null(obj);
		ck_assert_msg(!strncmp(msgs, name, strlen(name)) && msgs[strlen(name)] == ':',
			      "%s: error does not name the input: %s", name, msgs);
		ck_assert_msg(strchr(msgs, '\n') == msgs + strlen(msgs) - 1,
			      "%s: expected one error line: %s", name, msgs);
		if (text)
			ck_assert_msg(strstr(msgs, text), "%s: expected '%s' in: %s",
				      name, text, msgs);
		return;
	}
	ck_assert_msg(expect != REJECT, "%s: loaded but expected an error '%s'", name, text);
	for (i = 0; i < obj->prog_cnt; i++) {
		const struct df_prog *p = &obj->progs[i];

		ck_assert_int_eq(!!p->err, !!p->err_msg);
		if (p->err) {
			prog_failed = true;
			ck_assert_msg(strstr(msgs, strchr(p->err_msg, ':') ? p->err_msg : ""),
				      "%s: program error was not reported", name);
		}
	}
	if (expect == PROG_FAILS)
		ck_assert_msg(prog_failed, "%s: no program failed", name);
	if (text && expect != EITHER)
		ck_assert_msg(strstr(msgs, text), "%s: expected '%s' in: %s", name, text, msgs);
	df_object_free(obj);
}

static int open_img(const struct img *im, size_t len, const char *name,
		    struct df_object **obj)
{
	DF_OPTS(df_open_opts, opts, .kind = DF_INPUT_ELF);
	/* an exact-size copy so that any overread is caught by the sanitizer */
	unsigned char *copy = malloc(len ? len : 1);
	int err;

	memcpy(copy, im->p, len);
	msgs[0] = 0;
	df_set_print(capture);
	err = df_object_open_mem(copy, len, name, &opts, obj);
	free(copy);
	return err;
}

START_TEST(mutation)
{
	const struct mutation *m = &mutations[_i];
	struct img im = load(m->base);
	struct df_object *obj;
	int err;

	/* the unmodified object loads */
	err = open_img(&im, im.len, m->name, &obj);
	ck_assert_msg(!err, "%s: base object does not load: %s", m->base, msgs);
	df_object_free(obj);
	m->apply(&im);
	err = open_img(&im, im.len, m->name, &obj);
	printf("%s", msgs[0] ? msgs : "");
	check_outcome(m->name, err, obj, m->expect, m->text);
	free(im.p);
}
END_TEST

static const char *const bases[] = { OBJ_CALLS, OBJ_MAPS, OBJ_DATA };

/* Truncation at fixed lengths and at fractions of the file: always an error. */
START_TEST(truncation)
{
	struct img im = load(bases[_i]);
	size_t cuts[] = { 0, 1, 4, 16, 63, 64, 65, 200, im.len / 4, im.len / 2,
			  im.len - 65, im.len - 64, im.len - 8, im.len - 1 };
	size_t i;

	for (i = 0; i < DF_ARRAY_SIZE(cuts); i++) {
		struct df_object *obj;
		char name[64];
		int err;

		snprintf(name, sizeof(name), "cut-%zu", cuts[i]);
		err = open_img(&im, cuts[i], name, &obj);
		check_outcome(name, err, obj, REJECT, NULL);
	}
	free(im.p);
}
END_TEST

/* Deterministic byte flips anywhere: an error or a clean object. */
START_TEST(byte_flips)
{
	struct img im = load(bases[_i]);
	unsigned char *orig = malloc(im.len);
	size_t shoff = ehdr(&im)->e_shoff;
	uint64_t seed = 0x9e3779b97f4a7c15ull * (_i + 1);
	int round, rejected = 0;

	memcpy(orig, im.p, im.len);
	for (round = 0; round < 300; round++) {
		struct df_object *obj;
		char name[64];
		int k, err;

		memcpy(im.p, orig, im.len);
		for (k = 0; k < 1 + round % 4; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			/* bias a third of the flips to the headers and section table */
			size_t at = (seed >> 33) % im.len;

			if (k % 3 == 0)
				at = (seed >> 33) % 64;
			else if (k % 3 == 1)
				at = shoff + (seed >> 33) % (im.len - shoff);
			im.p[at] ^= (unsigned char)(1u << ((seed >> 20) % 8));
		}
		snprintf(name, sizeof(name), "flip-%d", round);
		err = open_img(&im, im.len, name, &obj);
		rejected += err != 0;
		check_outcome(name, err, obj, EITHER, NULL);
	}
	printf("%s: %d of 300 flipped copies rejected\n", bases[_i], rejected);
	free(orig);
	free(im.p);
}
END_TEST

static Suite *corrupt_suite(void)
{
	Suite *s = suite_create("corrupt");
	TCase *tc = tcase_create("inputs");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, mutation, 0, DF_ARRAY_SIZE(mutations));
	tcase_add_loop_test(tc, truncation, 0, DF_ARRAY_SIZE(bases));
	tcase_add_loop_test(tc, byte_flips, 0, DF_ARRAY_SIZE(bases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(corrupt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
