; A tc program calling a 12-argument subprogram: arguments 1..5 travel in
; r1..r5, arguments 6..12 through the outgoing stack-argument area (r11).
.license "GPL"
.prog caller "tc"
	r1 = 1
	r2 = 2
	r3 = 3
	r4 = 4
	r5 = 5
	*(u64 *)(r11 -8) = 6
	*(u64 *)(r11 -16) = 7
	*(u64 *)(r11 -24) = 8
	*(u64 *)(r11 -32) = 9
	*(u64 *)(r11 -40) = 10
	*(u64 *)(r11 -48) = 11
	*(u64 *)(r11 -56) = 12
	call sum12
	exit

; sum12(a1, ..., a12) = a1 + ... + a12
.func sum12 12 static
	r0 = r1
	r0 += r2
	r0 += r3
	r0 += r4
	r0 += r5
	r6 = *(u64 *)(r11 +8)
	r0 += r6
	r6 = *(u64 *)(r11 +56)
	r0 += r6
	exit
