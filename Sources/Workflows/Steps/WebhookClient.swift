import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A failed webhook exchange: no HTTP status arrived.
struct WebhookError: Error {
    var message: String
}

/// Sends one webhook POST with URLSession and waits for it on the calling thread.
enum WebhookClient {
    /// Seconds to wait beyond the request timeout before cancelling a task that URLSession has
    /// not ended itself.
    static let cancelSlack: TimeInterval = 5

    /// Returns the status and body, or the error. Redirects are not followed, so an
    /// Authorization header never goes to a second server.
    static func post(
        _ body: JSONValue, to url: URL, authorization: String?, timeout: TimeInterval
    ) -> Result<(Int, Data), WebhookError> {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let authorization {
            request.setValue(authorization, forHTTPHeaderField: "Authorization")
        }
        do {
            request.httpBody = try JSONEncoder().encode(body)
        } catch {
            return .failure(WebhookError(message: "cannot encode the request body: \(error)"))
        }

        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }

        let result = ResultSlot()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                result.store(.failure(describe(error, timeout: timeout)))
            } else if let response = response as? HTTPURLResponse {
                result.store(.success((response.statusCode, data ?? Data())))
            } else {
                result.store(.failure(WebhookError(message: "no HTTP response")))
            }
            done.signal()
        }
        task.resume()

        if done.wait(timeout: .now() + timeout + cancelSlack) == .timedOut {
            task.cancel()
            return .failure(WebhookError(message: "timed out after \(Int(timeout)) s"))
        }
        return result.load() ?? .failure(WebhookError(message: "no HTTP response"))
    }

    private static func describe(_ error: any Error, timeout: TimeInterval) -> WebhookError {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut: return WebhookError(message: "timed out after \(Int(timeout)) s")
            case .cannotConnectToHost: return WebhookError(message: "connection refused")
            case .cannotFindHost: return WebhookError(message: "host not found")
            default: break
            }
        }
        return WebhookError(message: error.localizedDescription)
    }
}

/// The completion handler runs on a URLSession queue while the caller waits on a semaphore,
/// so the result crosses threads through a mutex.
private final class ResultSlot: Sendable {
    private let value = Mutex<Result<(Int, Data), WebhookError>?>(nil)

    func store(_ result: Result<(Int, Data), WebhookError>) {
        value.withLock { $0 = result }
    }

    func load() -> Result<(Int, Data), WebhookError>? {
        value.withLock { $0 }
    }
}

/// Makes URLSession hand a 3xx response to the completion handler instead of following it.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
