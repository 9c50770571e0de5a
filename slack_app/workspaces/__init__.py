"""Who the app acts for: one workspace from the environment, or each installed one."""
