import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: every response carries `X-Request-Id` (the id
/// of the request's log lines), and every error a handler throws becomes
/// the JSON error of ``APIError`` with the status that fits, logged once.
struct ErrorAndRequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            var answer = APIError.answering(error)
            if answer.status == .notFound, let error = error as? HTTPError, error.body == nil {
                // The router's own answer to an address no route matches.
                answer = APIError(.notFound, "no such endpoint: \(request.method) \(request.uri.path) (docs/api.md lists them)")
            }
            if answer.status.code >= 500 {
                context.logger.error("request failed", metadata: ["status": "\(answer.status.code)", "error": "\(answer.message)"])
            } else {
                context.logger.info("request refused", metadata: ["status": "\(answer.status.code)", "error": "\(answer.message)"])
            }
            response = try answer.response(from: request, context: context)
        }
        response.headers[.requestID] = context.id
        return response
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
