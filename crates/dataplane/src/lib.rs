//! The Linux data plane.
