import HTTPTypes
import Hummingbird

/// Refuses every request without the access token (docs/api.md, "Access"):
/// it comes as `Authorization: Bearer TOKEN`, or as the `imgsearch_token`
/// cookie, which a request with `?token=TOKEN` in its address sets (so
/// that a browser opening the page once with the token keeps it).
struct AccessTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    static var cookieName: String { "imgsearch_token" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let bearer = Self.bearer(in: request), Self.matches(bearer, token) {
            return try await next(request, context)
        }
        if let cookie = Self.cookie(in: request), Self.matches(cookie, token) {
            return try await next(request, context)
        }
        if let given = request.uri.queryParameters.get("token"), Self.matches(given, token) {
            var response = try await next(request, context)
            response.headers.append(HTTPField(name: .setCookie, value: "\(Self.cookieName)=\(token); HttpOnly; SameSite=Strict; Path=/"))
            return response
        }
        throw APIError(.unauthorized, "this server needs its access token: send `Authorization: Bearer TOKEN`, or open the page once as /?token=TOKEN")
    }

    static func bearer(in request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let prefix = "bearer "
        guard value.count > prefix.count, value.lowercased().hasPrefix(prefix) else { return nil }
        return String(value.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }

    static func cookie(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// Compares in time independent of where the two first differ, so the
    /// answer's timing does not tell how much of a guess was right.
    static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<b.count { difference |= (index < a.count ? a[index] : 0) ^ b[index] }
        return difference == 0
    }
}
