.prog caller "tc"
	r1 = 1
	r2 = 2
	r3 = 3
	r4 = 4
	r5 = 5
	*(u64 *)(r11 -8) = 6
	*(u64 *)(r11 -56) = 12
	call sum12
	exit
.func sum12 12 static
	r0 = *(u64 *)(r11 +8)
	r1 = *(u64 *)(r11 +56)
	r0 += r1
	exit
