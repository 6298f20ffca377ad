//! ws-gateway
