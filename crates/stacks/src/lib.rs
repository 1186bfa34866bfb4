//! Stacks: a resolved template planned into a scratch copy of the account, and the rules AWS applies.
