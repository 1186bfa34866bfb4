//! Container image references: `[REGISTRY/]REPOSITORY[:TAG][@DIGEST]`.
//!
//! Follows Docker's reading: the first path component is a registry host only
//! if the name has more than one component and that component contains a `.`
//! or a `:`, is `localhost`, or has an uppercase letter (repositories are
//! lowercase). So `nginx`, `library/nginx` and `org/app` carry no registry,
//! while `localhost:5000/app` and `123456789012.dkr.ecr.us-east-1.amazonaws.com/app` do.

/// Errors reading an image reference.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageRefError {
    /// Nothing was given.
    #[error("empty image reference")]
    Empty,
    /// Whitespace or control characters, which no reference contains.
    #[error("image reference {0:?} contains whitespace or control characters")]
    BadCharacter(String),
    /// A path component, the tag or the digest is empty.
    #[error("image reference {0:?} has an empty component")]
    EmptyComponent(String),
}

/// The parts of an image reference, borrowed from the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// The registry host (with port), if the reference names one.
    pub registry: Option<&'a str>,
    /// The repository path below the registry, e.g. `library/nginx` or `nginx`.
    pub repository: &'a str,
    /// The tag, without its `:`.
    pub tag: Option<&'a str>,
    /// The digest, without its `@`.
    pub digest: Option<&'a str>,
    /// Registry and repository as written: the reference less tag and digest.
    pub name: &'a str,
}

/// Docker Hub's host names; images there may omit the `library/` prefix.
const DOCKER_HUB: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];

impl<'a> ImageRef<'a> {
    /// Parses `image`.
    pub fn parse(image: &'a str) -> Result<ImageRef<'a>, ImageRefError> {
        if image.is_empty() {
            return Err(ImageRefError::Empty);
        }
        if image.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ImageRefError::BadCharacter(image.to_string()));
        }
        let empty = || ImageRefError::EmptyComponent(image.to_string());
        let (name_and_tag, digest) = match image.split_once('@') {
            Some((_, "")) => return Err(empty()),
            Some((rest, digest)) => (rest, Some(digest)),
            None => (image, None),
        };
        let (registry, path_and_tag) = match name_and_tag.split_once('/') {
            Some((first, rest)) if is_registry(first) => (Some(first), rest),
            _ => (None, name_and_tag),
        };
        // In what is left a `:` can only start the tag (a port belongs to the registry).
        let (repository, tag) = match path_and_tag.rsplit_once(':') {
            Some((_, tag)) if tag.is_empty() || tag.contains('/') => return Err(empty()),
            Some((repository, tag)) => (repository, Some(tag)),
            None => (path_and_tag, None),
        };
        if repository.is_empty() || repository.split('/').any(str::is_empty) {
            return Err(empty());
        }
        let name_len = registry.map_or(0, |r| r.len() + 1) + repository.len();
        Ok(ImageRef { registry, repository, tag, digest, name: &name_and_tag[..name_len] })
    }

    /// Whether the image lives on Docker Hub (no registry, or Hub's own host).
    pub fn is_docker_hub(&self) -> bool {
        self.registry.is_none_or(|r| DOCKER_HUB.contains(&r))
    }

    /// Names a runtime file may use for this image, most specific first: the
    /// reference as written, registry and repository, the repository, and on
    /// Docker Hub the official-image forms with and without `library/`.
    pub fn candidate_names(&self, image: &str) -> Vec<String> {
        let mut names = vec![image.to_string(), self.name.to_string(), self.repository.to_string()];
        if self.is_docker_hub() {
            match self.repository.strip_prefix("library/") {
                Some(short) if !short.contains('/') => names.push(short.to_string()),
                Some(_) => {}
                None if !self.repository.contains('/') => names.push(format!("library/{}", self.repository)),
                None => {}
            }
        }
        names.dedup();
        names
    }
}

fn is_registry(component: &str) -> bool {
    component.contains(['.', ':']) || component == "localhost" || component.chars().any(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parts(image: &str) -> (Option<&str>, &str, Option<&str>, Option<&str>) {
        let r = ImageRef::parse(image).unwrap();
        (r.registry, r.repository, r.tag, r.digest)
    }

    #[test]
    fn docker_reading_of_references() {
        assert_eq!(parts("nginx"), (None, "nginx", None, None));
        assert_eq!(parts("nginx:1.25"), (None, "nginx", Some("1.25"), None));
        assert_eq!(parts("library/nginx:latest"), (None, "library/nginx", Some("latest"), None));
        assert_eq!(parts("localhost/app"), (Some("localhost"), "app", None, None));
        assert_eq!(parts("localhost:5000/app:dev"), (Some("localhost:5000"), "app", Some("dev"), None));
        assert_eq!(
            parts("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/todobackend:v2"),
            (Some("123456789012.dkr.ecr.us-east-1.amazonaws.com"), "team/todobackend", Some("v2"), None)
        );
        assert_eq!(parts("app@sha256:abcd"), (None, "app", None, Some("sha256:abcd")));
        assert_eq!(parts("ghcr.io/o/app:1@sha256:ef"), (Some("ghcr.io"), "o/app", Some("1"), Some("sha256:ef")));
        assert_eq!(parts("Registry/app"), (Some("Registry"), "app", None, None));
    }

    #[test]
    fn the_name_drops_tag_and_digest() {
        assert_eq!(ImageRef::parse("ghcr.io/o/app:1@sha256:ef").unwrap().name, "ghcr.io/o/app");
        assert_eq!(ImageRef::parse("app:1").unwrap().name, "app");
    }

    #[test]
    fn malformed_references_are_errors() {
        for bad in ["", "app:", "app@", "/app", "app/", "a//b", "ghcr.io/", "a b"] {
            assert!(ImageRef::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn official_images_match_with_and_without_library() {
        let r = ImageRef::parse("docker.io/library/nginx:1").unwrap();
        assert!(r.candidate_names("docker.io/library/nginx:1").contains(&"nginx".to_string()));
        let r = ImageRef::parse("nginx").unwrap();
        assert!(r.candidate_names("nginx").contains(&"library/nginx".to_string()));
        let r = ImageRef::parse("ghcr.io/nginx").unwrap();
        assert!(!r.candidate_names("ghcr.io/nginx").contains(&"library/nginx".to_string()));
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in any::<String>()) {
            let _ = ImageRef::parse(&s);
        }

        #[test]
        fn parsing_reference_like_strings_never_panics(s in "[a-zA-Z0-9.:/@_-]{0,40}") {
            if let Ok(r) = ImageRef::parse(&s) {
                prop_assert!(s.starts_with(r.name));
                prop_assert!(!r.repository.is_empty());
            }
        }
    }
}
