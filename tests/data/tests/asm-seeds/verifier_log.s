0: (bf) r6 = r1
1: (b7) r0 = 0
2: (18) r1 = 0x1122334455667788
4: (61) r2 = *(u32 *)(r6 +0)
5: (c4) w2 s>>= 3
6: (55) if r2 != 0x7 goto pc+2
7: (db) r3 = atomic64_fetch_add((u64 *)(r10 -8), r3)
8: (05) goto pc+1
9: (dc) r2 = be16 r2
10: (95) exit
