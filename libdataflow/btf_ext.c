/* SPDX-License-Identifier: BSD-2-Clause */
/* .BTF.ext: function and line information per code section. */
#include "elf_load.h"

#include <stdio.h>

#define BTF_EXT_MAGIC		0xeB9F
#define BTF_EXT_MIN_HDR		24	/* up to and including line_info_len */
#define FUNC_REC_MIN		8
#define LINE_REC_MIN		16

struct ctx {
	const uint8_t *p;
	size_t len;
	const char *file;
};

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int bad(const struct ctx *c, const char *fmt, ...) DF_PRINTF(2, 3);

static int bad(const struct ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	df_err_at(c->file, ".BTF.ext", -1,
		  "%s; function and line info ignored", msg);
	return -EINVAL;
}

static void free_secs(struct df_btf_ext_sec *s, uint32_t cnt)
{
	uint32_t i;

	for (i = 0; i < cnt; i++)
		free(s[i].recs);
	free(s);
}

/*
 * One info subsection: rec_size, then (name_off, num_info, records) runs.
 * Records of a section must be in strictly increasing instruction order,
 * as the kernel requires.
 */
static int parse_info(const struct ctx *c, const char *what, uint64_t off,
		      uint64_t len, uint32_t min_rec, bool line,
		      struct df_btf_ext_sec **out, uint32_t *out_cnt)
{
	const uint8_t *p = c->p + off, *end = c->p + off + len;
	struct df_btf_ext_sec *secs = NULL;
	uint32_t rec_size, cnt = 0, i;

	if (!len)
		return 0;
	if (len < 4)
		return bad(c, "%s subsection of %llu bytes has no record size",
			   what, (unsigned long long)len);
	rec_size = rd32(p);
	p += 4;
	if (rec_size < min_rec || rec_size % 4)
		return bad(c, "%s record size %u is invalid", what, rec_size);
	while (p < end) {
		struct df_btf_ext_sec *s;
		uint32_t num;

		if ((size_t)(end - p) < 8) {
			free_secs(secs, cnt);
			return bad(c, "%s: truncated section header at offset %zu",
				   what, (size_t)(p - c->p));
		}
		num = rd32(p + 4);
		if ((uint64_t)num * rec_size > (uint64_t)(end - p - 8)) {
			free_secs(secs, cnt);
			return bad(c, "%s: %u records of %u bytes exceed the subsection",
				   what, num, rec_size);
		}
		if (df_array_push(secs, cnt)) {
			free_secs(secs, cnt);
			return -ENOMEM;
		}
		s = &secs[cnt++];
		s->name_off = rd32(p);
		s->cnt = num;
		s->recs = num ? calloc(num, sizeof(*s->recs)) : NULL;
		if (num && !s->recs) {
			free_secs(secs, cnt);
			return -ENOMEM;
		}
		p += 8;
		for (i = 0; i < num; i++, p += rec_size) {
			struct df_btf_ext_rec *r = &s->recs[i];
			uint32_t insn_off = rd32(p);

			if (insn_off % DF_INSN_SZ) {
				free_secs(secs, cnt);
				return bad(c, "%s: record %u has unaligned instruction offset %u",
					   what, i, insn_off);
			}
			if (i && insn_off / DF_INSN_SZ <= s->recs[i - 1].insn_off) {
				uint32_t prev = s->recs[i - 1].insn_off;

				free_secs(secs, cnt);
				return bad(c, "%s: record %u at instruction %u does not follow instruction %u",
					   what, i, insn_off / DF_INSN_SZ, prev);
			}
			r->insn_off = insn_off / DF_INSN_SZ;
			if (line) {
				r->file_off = rd32(p + 4);
				r->line_off = rd32(p + 8);
				r->line_col = rd32(p + 12);
			} else {
				r->type_id = rd32(p + 4);
			}
		}
	}
	*out = secs;
	*out_cnt = cnt;
	return 0;
}

int df_btf_ext_parse(const void *data, size_t len, const char *file,
		     struct df_btf_ext **out)
{
	struct ctx c = { .p = data, .len = len, .file = file };
	uint32_t hdr_len, foff, flen, loff, llen;
	struct df_btf_ext *ext;
	uint64_t body;
	int err;

	*out = NULL;
	if (len < 8)
		return bad(&c, "truncated header (%zu bytes)", len);
	if ((c.p[0] | c.p[1] << 8) != BTF_EXT_MAGIC)
		return bad(&c, "bad magic 0x%02x%02x", c.p[1], c.p[0]);
	if (c.p[2] != 1)
		return bad(&c, "unsupported version %u", c.p[2]);
	hdr_len = rd32(c.p + 4);
	if (hdr_len < BTF_EXT_MIN_HDR || hdr_len > len)
		return bad(&c, "header length %u is invalid for a %zu-byte section",
			   hdr_len, len);
	foff = rd32(c.p + 8);
	flen = rd32(c.p + 12);
	loff = rd32(c.p + 16);
	llen = rd32(c.p + 20);
	body = len - hdr_len;
	if ((uint64_t)foff + flen > body)
		return bad(&c, "func_info [%u, +%u) is outside the section", foff, flen);
	if ((uint64_t)loff + llen > body)
		return bad(&c, "line_info [%u, +%u) is outside the section", loff, llen);
	ext = calloc(1, sizeof(*ext));
	if (!ext)
		return -ENOMEM;
	err = parse_info(&c, "func_info", (uint64_t)hdr_len + foff, flen,
			 FUNC_REC_MIN, false, &ext->func, &ext->func_cnt);
	if (!err)
		err = parse_info(&c, "line_info", (uint64_t)hdr_len + loff, llen,
				 LINE_REC_MIN, true, &ext->line, &ext->line_cnt);
	if (err) {
		df_btf_ext_free(ext);
		return err;
	}
	*out = ext;
	return 0;
}

void df_btf_ext_free(struct df_btf_ext *ext)
{
	if (!ext)
		return;
	free_secs(ext->func, ext->func_cnt);
	free_secs(ext->line, ext->line_cnt);
	free(ext);
}

uint32_t df_btf_ext_lower(const struct df_btf_ext_sec *s, uint32_t off)
{
	uint32_t lo = 0, hi = s->cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->recs[mid].insn_off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
