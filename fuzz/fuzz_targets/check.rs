//! Fuzz target `check`: Parse and check the input and lower it to a plan; render any error.
//! Only a panic, abort, hang or out-of-memory is a finding (see `wmd::fuzz_harness::check`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wmd::fuzz_harness::check(data));
