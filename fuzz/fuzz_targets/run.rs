//! Fuzz target `run`: Run the input (at most 4 KiB) end to end on one thread, interrupted after 1 s.
//! Only a panic, abort, hang or out-of-memory is a finding (see `wmd::fuzz_harness::run`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wmd::fuzz_harness::run(data));
