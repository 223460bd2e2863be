import { QmtlError } from "../../core/errors.ts";

/**
 * Errors of the IBM Quantum Runtime client. Messages say what failed and what to
 * do; they never contain the API key or a bearer token.
 */
export class RuntimeError extends QmtlError {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = "RuntimeError";
    this.status = status;
  }
}

/** 401: the API key was rejected (or the IAM exchange failed). */
export class RuntimeAuthError extends RuntimeError {
  constructor(message: string, status?: number) {
    super(message, status);
    this.name = "RuntimeAuthError";
  }
}

/** 403: the instance (Service-CRN) may not use this backend or action. */
export class RuntimeForbiddenError extends RuntimeError {
  constructor(message: string, status?: number) {
    super(message, status);
    this.name = "RuntimeForbiddenError";
  }
}

/** 404: no such job or backend. */
export class RuntimeNotFoundError extends RuntimeError {
  constructor(message: string, status?: number) {
    super(message, status);
    this.name = "RuntimeNotFoundError";
  }
}

/** The backend is offline/paused or has fewer qubits than the circuit needs. */
export class RuntimeBackendError extends RuntimeError {
  constructor(message: string) {
    super(message);
    this.name = "RuntimeBackendError";
  }
}

/** A job ended Failed or Cancelled. */
export class RuntimeJobError extends RuntimeError {
  readonly jobStatus: string;
  constructor(message: string, jobStatus: string) {
    super(message);
    this.name = "RuntimeJobError";
    this.jobStatus = jobStatus;
  }
}

/** A request or a wait ran past its time limit. */
export class RuntimeTimeoutError extends RuntimeError {
  constructor(message: string) {
    super(message);
    this.name = "RuntimeTimeoutError";
  }
}
