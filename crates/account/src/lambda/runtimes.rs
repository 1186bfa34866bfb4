//! The Lambda runtimes and their deprecation dates (AWS doc "Lambda
//! runtimes", the tables "Supported runtimes" and "Deprecated runtimes").
//!
//! Taken from cfn-lint 1.58.0's `LmbdRuntimeLifecycle.json`, which tracks
//! that page; AWS has moved these dates before, so they are planning data.
//! `successor` is the newest runtime of the family, which AWS names in its
//! refusal ("We recommend you use the new runtime (…)").

/// One runtime's lifecycle: dates as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Runtime {
    /// The identifier, e.g. `python3.12`.
    pub id: &'static str,
    /// Deprecation: no more security patches.
    pub deprecated: Option<&'static str>,
    /// From this day functions can no longer be created on it.
    pub block_create: Option<&'static str>,
    /// From this day functions on it can no longer be updated.
    pub block_update: Option<&'static str>,
    /// The newest runtime of its family (`None`: it is the newest).
    pub successor: Option<&'static str>,
}

/// Every runtime the page lists.
pub const RUNTIMES: &[Runtime] = &[
    Runtime {
        id: "dotnet6",
        deprecated: Some("2024-12-20"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("dotnet10"),
    },
    Runtime {
        id: "dotnet8",
        deprecated: Some("2026-11-10"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("dotnet10"),
    },
    Runtime {
        id: "dotnet9",
        deprecated: Some("2026-11-10"),
        block_create: None,
        block_update: None,
        successor: Some("dotnet10"),
    },
    Runtime {
        id: "dotnet10",
        deprecated: Some("2028-11-14"),
        block_create: Some("2028-12-14"),
        block_update: Some("2029-01-15"),
        successor: None,
    },
    Runtime {
        id: "dotnetcore1.0",
        deprecated: Some("2019-06-27"),
        block_create: Some("2019-06-30"),
        block_update: Some("2019-07-30"),
        successor: Some("dotnet10"),
    },
    Runtime {
        id: "dotnetcore2.0",
        deprecated: Some("2019-05-30"),
        block_create: Some("2019-04-30"),
        block_update: Some("2019-05-30"),
        successor: Some("dotnet10"),
    },
    Runtime {
        id: "dotnetcore2.1",
        deprecated: Some("2022-01-05"),
        block_create: Some("2022-01-05"),
        block_update: Some("2022-04-13"),
        successor: Some("dotnet10"),
    },
    Runtime {
        id: "dotnetcore3.1",
        deprecated: Some("2023-04-03"),
        block_create: Some("2023-04-03"),
        block_update: Some("2023-05-03"),
        successor: Some("dotnet10"),
    },
    Runtime {
        id: "go1.x",
        deprecated: Some("2024-01-08"),
        block_create: Some("2024-02-08"),
        block_update: Some("2027-03-03"),
        successor: Some("provided.al2023"),
    },
    Runtime {
        id: "java8",
        deprecated: Some("2024-01-08"),
        block_create: Some("2024-02-08"),
        block_update: Some("2027-03-03"),
        successor: Some("java25"),
    },
    Runtime {
        id: "java8.al2",
        deprecated: Some("2027-06-30"),
        block_create: Some("2027-07-31"),
        block_update: Some("2027-08-31"),
        successor: Some("java25"),
    },
    Runtime {
        id: "java11",
        deprecated: Some("2027-06-30"),
        block_create: Some("2027-07-31"),
        block_update: Some("2027-08-31"),
        successor: Some("java25"),
    },
    Runtime {
        id: "java17",
        deprecated: Some("2027-06-30"),
        block_create: Some("2027-07-31"),
        block_update: Some("2027-08-31"),
        successor: Some("java25"),
    },
    Runtime {
        id: "java21",
        deprecated: Some("2029-06-30"),
        block_create: Some("2029-07-31"),
        block_update: Some("2029-08-31"),
        successor: Some("java25"),
    },
    Runtime {
        id: "java25",
        deprecated: Some("2029-06-30"),
        block_create: Some("2029-07-31"),
        block_update: Some("2029-08-31"),
        successor: None,
    },
    Runtime {
        id: "nodejs",
        deprecated: Some("2016-08-30"),
        block_create: Some("2016-09-30"),
        block_update: Some("2016-10-31"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs4.3",
        deprecated: Some("2020-03-05"),
        block_create: Some("2020-02-03"),
        block_update: Some("2020-03-05"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs4.3-edge",
        deprecated: Some("2020-03-05"),
        block_create: Some("2019-03-31"),
        block_update: Some("2019-04-30"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs6.10",
        deprecated: Some("2019-08-12"),
        block_create: Some("2019-07-12"),
        block_update: Some("2019-08-12"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs8.10",
        deprecated: Some("2020-03-06"),
        block_create: Some("2020-02-04"),
        block_update: Some("2020-03-06"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs10.x",
        deprecated: Some("2021-07-30"),
        block_create: Some("2021-07-30"),
        block_update: Some("2022-02-14"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs12.x",
        deprecated: Some("2023-03-31"),
        block_create: Some("2023-03-31"),
        block_update: Some("2023-04-30"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs14.x",
        deprecated: Some("2023-12-04"),
        block_create: Some("2024-01-09"),
        block_update: Some("2027-03-03"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs16.x",
        deprecated: Some("2024-06-12"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs18.x",
        deprecated: Some("2025-09-01"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs20.x",
        deprecated: Some("2026-04-30"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs22.x",
        deprecated: Some("2027-04-30"),
        block_create: Some("2027-06-01"),
        block_update: Some("2027-07-01"),
        successor: Some("nodejs24.x"),
    },
    Runtime {
        id: "nodejs24.x",
        deprecated: Some("2028-04-30"),
        block_create: Some("2028-06-01"),
        block_update: Some("2028-07-01"),
        successor: None,
    },
    Runtime {
        id: "provided",
        deprecated: Some("2024-01-08"),
        block_create: Some("2024-02-08"),
        block_update: Some("2027-03-03"),
        successor: Some("provided.al2023"),
    },
    Runtime {
        id: "provided.al2",
        deprecated: Some("2026-07-31"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("provided.al2023"),
    },
    Runtime {
        id: "provided.al2023",
        deprecated: Some("2029-06-30"),
        block_create: Some("2029-07-31"),
        block_update: Some("2029-08-31"),
        successor: None,
    },
    Runtime {
        id: "python2.7",
        deprecated: Some("2021-07-15"),
        block_create: Some("2021-07-15"),
        block_update: Some("2022-05-30"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.6",
        deprecated: Some("2022-07-18"),
        block_create: Some("2022-07-18"),
        block_update: Some("2022-08-29"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.7",
        deprecated: Some("2023-12-04"),
        block_create: Some("2024-01-09"),
        block_update: Some("2027-03-03"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.8",
        deprecated: Some("2024-10-14"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.9",
        deprecated: Some("2025-12-15"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.10",
        deprecated: Some("2026-10-31"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.11",
        deprecated: Some("2027-06-30"),
        block_create: Some("2027-07-31"),
        block_update: Some("2027-08-31"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.12",
        deprecated: Some("2028-10-31"),
        block_create: Some("2028-11-30"),
        block_update: Some("2029-01-10"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.13",
        deprecated: Some("2029-06-30"),
        block_create: Some("2029-07-31"),
        block_update: Some("2029-08-31"),
        successor: Some("python3.14"),
    },
    Runtime {
        id: "python3.14",
        deprecated: Some("2029-06-30"),
        block_create: Some("2029-07-31"),
        block_update: Some("2029-08-31"),
        successor: None,
    },
    Runtime {
        id: "ruby2.5",
        deprecated: Some("2021-07-30"),
        block_create: Some("2021-07-30"),
        block_update: Some("2022-03-31"),
        successor: Some("ruby4.0"),
    },
    Runtime {
        id: "ruby2.7",
        deprecated: Some("2023-12-07"),
        block_create: Some("2024-01-09"),
        block_update: Some("2027-03-03"),
        successor: Some("ruby4.0"),
    },
    Runtime {
        id: "ruby3.2",
        deprecated: Some("2026-03-31"),
        block_create: Some("2027-02-01"),
        block_update: Some("2027-03-03"),
        successor: Some("ruby4.0"),
    },
    Runtime {
        id: "ruby3.3",
        deprecated: Some("2027-03-31"),
        block_create: Some("2027-04-30"),
        block_update: Some("2027-05-31"),
        successor: Some("ruby4.0"),
    },
    Runtime {
        id: "ruby3.4",
        deprecated: Some("2028-03-31"),
        block_create: Some("2028-04-30"),
        block_update: Some("2028-05-31"),
        successor: Some("ruby4.0"),
    },
    Runtime {
        id: "ruby4.0",
        deprecated: Some("2029-03-31"),
        block_create: Some("2029-04-30"),
        block_update: Some("2029-05-31"),
        successor: None,
    },
];

/// The runtime `id`, when the page lists it.
pub fn runtime(id: &str) -> Option<&'static Runtime> {
    RUNTIMES.iter().find(|r| r.id == id)
}

impl Runtime {
    /// The newest runtime of its family (itself when it is the newest).
    pub fn newest(&self) -> &'static str {
        self.successor.unwrap_or(self.id)
    }

    /// Whether creating a function on it is refused on `date` (`YYYY-MM-DD`).
    pub fn create_blocked_on(&self, date: &str) -> bool {
        self.block_create.is_some_and(|d| date >= d)
    }

    /// Whether updating a function on it is refused on `date`.
    pub fn update_blocked_on(&self, date: &str) -> bool {
        self.block_update.is_some_and(|d| date >= d)
    }
}

/// AWS's refusal of a blocked runtime (InvalidParameterValueException;
/// seen in many public threads, e.g. "The runtime parameter of nodejs12.x
/// is no longer supported for creating or updating AWS Lambda functions. We
/// recommend you use the new runtime (nodejs18.x) while creating or
/// updating functions.").
pub fn blocked_text(r: &Runtime) -> String {
    format!(
        "The runtime parameter of {} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime ({}) while creating or updating functions.",
        r.id,
        r.newest()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python36_is_blocked_and_python314_is_not() {
        let old = runtime("python3.6").expect("listed");
        assert!(old.create_blocked_on("2026-01-01"));
        assert!(!old.create_blocked_on("2022-07-17"));
        assert_eq!(old.newest(), "python3.14");
        assert!(blocked_text(old).starts_with("The runtime parameter of python3.6 is no longer supported"));
        let new = runtime("python3.14").expect("listed");
        assert!(!new.create_blocked_on("2026-01-01"));
        assert_eq!(new.newest(), "python3.14");
        // Listed once each, every family ending in a runtime that is listed.
        for r in RUNTIMES {
            assert_eq!(RUNTIMES.iter().filter(|o| o.id == r.id).count(), 1, "{}", r.id);
            assert!(runtime(r.newest()).is_some(), "{}", r.id);
        }
    }
}
