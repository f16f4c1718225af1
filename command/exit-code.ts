/**
 * The command's exit codes: `status` ends `Due` when a credential is due within the horizon (as
 * `terraform plan -detailed-exitcode` ends 2 when there are changes); `Failed` is any error, and a
 * `renew` in which a stack failed or stayed busy (another update held it past `--wait`).
 */
export const ExitCode = { Ok: 0, Failed: 1, Due: 2 } as const;

/** One of `ExitCode`'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
