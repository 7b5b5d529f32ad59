//! Errors as the two APIs answer them: the native one as `{"error", "message"}` with a
//! status that says whose fault it is, the OSRM one with OSRM's codes (HTTP 400 for
//! every client-side code, as OSRM does).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use caravan_app::matrix::MatrixError;
use caravan_app::PlanError;
use serde::Serialize;

/// A native API error.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// Machine-readable kind: bad_request, unknown_place, no_route, too_big, timeout,
    /// not_found, internal.
    pub error: String,
    /// What went wrong, for a person.
    pub message: String,
    #[serde(skip)]
    pub status: u16,
}

impl ApiError {
    pub fn new(status: StatusCode, error: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            error: error.into(),
            message: message.into(),
            status: status.as_u16(),
        }
    }

    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<PlanError> for ApiError {
    fn from(e: PlanError) -> ApiError {
        match &e {
            PlanError::Place(_) => {
                ApiError::new(StatusCode::BAD_REQUEST, "unknown_place", e.to_string())
            }
            PlanError::Profile(_) => ApiError::bad(e.to_string()),
            PlanError::NoRoute(_) | PlanError::OutOfReach(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "no_route", e.to_string())
            }
            PlanError::Engine(inner) if inner.is_bad_data() => ApiError::bad(e.to_string()),
            PlanError::Engine(_) => ApiError::internal(e.to_string()),
        }
    }
}

impl From<MatrixError> for ApiError {
    fn from(e: MatrixError) -> ApiError {
        match e {
            MatrixError::Plan(p) => p.into(),
            other => ApiError::bad(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self)).into_response()
    }
}

/// OSRM's error codes (<https://project-osrm.org/docs/v5.24.0/api/#responses>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub enum OsrmCode {
    InvalidUrl,
    InvalidService,
    InvalidVersion,
    InvalidOptions,
    InvalidQuery,
    InvalidValue,
    NoSegment,
    NoRoute,
    NoTable,
    TooBig,
}

/// An OSRM API error body.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OsrmError {
    pub code: OsrmCode,
    pub message: String,
}

impl OsrmError {
    pub fn new(code: OsrmCode, message: impl Into<String>) -> OsrmError {
        OsrmError {
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for OsrmError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(self)).into_response()
    }
}

/// Query strings parsed as the native API answers their errors (JSON, not axum's text).
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// JSON bodies parsed as the native API answers their errors.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(e: axum::extract::rejection::QueryRejection) -> ApiError {
        ApiError::bad(e.body_text())
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> ApiError {
        match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_big", e.body_text())
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "bad_request",
                "the body must be JSON (Content-Type: application/json)",
            ),
            _ => ApiError::bad(e.body_text()),
        }
    }
}
