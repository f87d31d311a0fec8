// SPDX-License-Identifier: BSD-2-Clause
/*
 * Arenas: memory handed out by bumping a pointer through chunks, all given
 * back at once; zeroed unless the caller asks for pieces it fills itself.
 * An arena may start in a region its owner allocated with something else
 * (a small program's solver is one allocation with room for its arrays). An analysis of a large program allocates tens
 * of megabytes in pieces of a few kilobytes, and each fresh page costs a
 * fault on first touch. The first chunks, for small programs, come from
 * malloc(), the first one small: a verification holds about eight arenas,
 * and first chunks that add up past malloc's trim threshold made every
 * free() give the heap back and the next run fault it in again; under
 * 1 KiB, malloc serves it from the thread's cache of freed pieces. Each piece
 * is cleared as it is handed out (clearing a whole chunk would touch pages
 * nothing uses: in a forked process each is a copy-on-write fault). From
 * 2 MiB on, doubling up to 32 MiB, chunks are mapped aligned to 2 MiB, zero
 * already, in whole huge pages offered to transparent huge pages, so that
 * one fault maps 512 pages; so is a piece of 256 KiB or more that needs a
 * chunk of its own.
 */
#include "internal.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define ARENA_FIRST	1008u
#define ARENA_HUGE	(2u << 20)
#define ARENA_MAX	(32u << 20)
/* a piece this large that needs a chunk of its own gets huge pages */
#define ARENA_BIG	(256u << 10)

struct df_arena_chunk {
	struct df_arena_chunk *prev;
	size_t size;		/* mapped when >= ARENA_HUGE, else malloc'ed */
};

#define ARENA_HDR	((sizeof(struct df_arena_chunk) + 15) & ~(size_t)15)

static void *map_huge(size_t size)
{
	char *p = mmap(NULL, size + ARENA_HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t at;

	if (p == MAP_FAILED)
		return NULL;
	/* keep the 2 MiB-aligned part */
	at = ((uintptr_t)p + ARENA_HUGE - 1) & ~(uintptr_t)(ARENA_HUGE - 1);
	if (at > (uintptr_t)p)
		munmap(p, at - (uintptr_t)p);
	if ((uintptr_t)p + ARENA_HUGE > at)
		munmap((char *)at + size, (uintptr_t)p + ARENA_HUGE - at);
#ifdef MADV_HUGEPAGE
	madvise((void *)at, size, MADV_HUGEPAGE);
#endif
	return (void *)at;
}

/* 1 KiB, 4 KiB, 16 KiB, 63 KiB, 252 KiB, 1008 KiB, then huge: 2, 4, 8, 16, 32, 32... MiB */
static size_t next_size(size_t size)
{
	if (size < ARENA_HUGE)
		return size * 4 < ARENA_HUGE ? size * 4 : ARENA_HUGE;
	return size < ARENA_MAX ? size * 2 : size;
}

void df_arena_init(struct df_arena *a, void *region, size_t size)
{
	uintptr_t at = ((uintptr_t)region + 15) & ~(uintptr_t)15;

	memset(a, 0, sizeof(*a));
	if (at - (uintptr_t)region >= size)
		return;
	a->cur = (char *)at;
	a->end = (char *)region + size;
}

void *df_arena_grow(struct df_arena *a, size_t n, bool clear)
{
	struct df_arena_chunk *c;
	size_t size;
	char *p;

	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + 15) & ~(size_t)15;
	size = a->next ? a->next : ARENA_FIRST;
	a->next = next_size(size);
	/* a large piece gets a chunk of its own, in whole huge pages from ARENA_BIG */
	if (size < n + ARENA_HDR) {
		size = n + ARENA_HDR;
		if (size >= ARENA_BIG && size < ARENA_HUGE)
			size = ARENA_HUGE;
	}
	if (size >= ARENA_HUGE)
		size = (size + ARENA_HUGE - 1) & ~(size_t)(ARENA_HUGE - 1);
	c = size >= ARENA_HUGE ? map_huge(size) : malloc(size);
	if (!c)
		return NULL;
	c->prev = a->chunk;
	c->size = size;
	a->chunk = c;
	p = (char *)c + ARENA_HDR;
	/* a piece that leaves less room than the current region has keeps that one current */
	if (size - ARENA_HDR - n >= (size_t)(a->end - a->cur)) {
		a->cur = p + n;
		a->end = (char *)c + size;
		a->zero = size >= ARENA_HUGE;
	}
	return clear && size < ARENA_HUGE ? memset(p, 0, n) : p;
}

void df_arena_free(struct df_arena *a)
{
	struct df_arena_chunk *c = a->chunk;

	while (c) {
		struct df_arena_chunk *prev = c->prev;

		if (c->size >= ARENA_HUGE)
			munmap(c, c->size);
		else
			free(c);
		c = prev;
	}
	memset(a, 0, sizeof(*a));
}
