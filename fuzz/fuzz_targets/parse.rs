//! Fuzz target `parse`: Parse the input as a script and as a `--set` expression; render any error.
//! Only a panic, abort, hang or out-of-memory is a finding (see `wmd::fuzz_harness::parse`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wmd::fuzz_harness::parse(data));
