"""Pure Block Kit builders: state in, blocks out; no I/O, no clocks read.

Every message is rebuilt whole from state on each update, so an update can
never leave half of an old message behind, and any two builds of the same
state are identical (which lets the updater skip no-op chat.update calls).
"""
