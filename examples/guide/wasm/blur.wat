;; 3x3 box blur of an RGBA frame, edges clamped: out = (sum of the 9 neighbours + 4) / 9 per channel.
;; blur(src, dst, tmp, width, height): the frame at src, the result to dst, row sums (u16) at tmp.
(module
  (memory (export "memory") 1 512)
  (func (export "grow") (param $bytes i32) (result i32)
    (local $have i32)
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.ge_u (local.get $have) (local.get $bytes)) (then (return (i32.const 1))))
    (i32.ne (i32.const -1)
      (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $bytes) (local.get $have)) (i32.const 65535)) (i32.const 16)))))
  (func (export "blur") (param $src i32) (param $dst i32) (param $tmp i32) (param $w i32) (param $h i32)
    (local $row i32) (local $y i32) (local $i i32) (local $s i32) (local $t i32) (local $up i32) (local $down i32)
    (local.set $row (i32.mul (local.get $w) (i32.const 4)))
    ;; Horizontal: each byte plus its left and right neighbours (the same byte at the edges).
    (loop $rows
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $row))))
      (local.set $t (i32.add (local.get $tmp) (i32.shl (i32.mul (local.get $y) (local.get $row)) (i32.const 1))))
      (local.set $i (i32.const 0))
      (loop $bytes
        (i32.store16 (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 1)))
          (i32.add (i32.load8_u (i32.add (local.get $s) (local.get $i)))
            (i32.add
              (i32.load8_u (i32.add (local.get $s)
                (select (local.get $i) (i32.sub (local.get $i) (i32.const 4)) (i32.lt_u (local.get $i) (i32.const 4)))))
              (i32.load8_u (i32.add (local.get $s)
                (select (local.get $i) (i32.add (local.get $i) (i32.const 4))
                  (i32.ge_u (local.get $i) (i32.sub (local.get $row) (i32.const 4)))))))))
        (br_if $bytes (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $row))))
      (br_if $rows (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 1))) (local.get $h))))
    ;; Vertical: the row sums above, here and below (the same row at the edges).
    (local.set $y (i32.const 0))
    (loop $rows2
      (local.set $t (i32.add (local.get $tmp) (i32.shl (i32.mul (local.get $y) (local.get $row)) (i32.const 1))))
      (local.set $up (select (local.get $t) (i32.sub (local.get $t) (i32.shl (local.get $row) (i32.const 1))) (i32.eqz (local.get $y))))
      (local.set $down (select (local.get $t) (i32.add (local.get $t) (i32.shl (local.get $row) (i32.const 1)))
        (i32.ge_u (i32.add (local.get $y) (i32.const 1)) (local.get $h))))
      (local.set $s (i32.add (local.get $dst) (i32.mul (local.get $y) (local.get $row))))
      (local.set $i (i32.const 0))
      (loop $bytes2
        (i32.store8 (i32.add (local.get $s) (local.get $i))
          (i32.div_u
            (i32.add (i32.const 4)
              (i32.add (i32.load16_u (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 1))))
                (i32.add (i32.load16_u (i32.add (local.get $up) (i32.shl (local.get $i) (i32.const 1))))
                  (i32.load16_u (i32.add (local.get $down) (i32.shl (local.get $i) (i32.const 1)))))))
            (i32.const 9)))
        (br_if $bytes2 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $row))))
      (br_if $rows2 (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 1))) (local.get $h))))))
