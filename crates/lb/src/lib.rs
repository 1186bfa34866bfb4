//! The application load balancer of the data plane.
