"""Walking a case: `case.CaseWalk` (lock, prefill, resume event, one result) around the one
loop (`loop`), which records through a protocol that `recorder.Recorder` implements on the
store; `scripted_run` walks an answers file."""
