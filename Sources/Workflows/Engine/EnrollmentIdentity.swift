import Store

/// The tuple that groups the retries of one enrollment attempt: a retry with the same tuple
/// finds the same request. It is the store's key of the open-request index.
public typealias EnrollmentIdentity = EnrollmentRequestKey
