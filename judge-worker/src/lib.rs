//! judge-worker
