import Foundation
import HTTPTypes
import Hummingbird
import ImgSearch

/// An error answered as JSON: `{"error": {"status": 404, "message": ..., "requestId": ...}}`
/// (docs/api.md, "Errors").
struct APIError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    /// Seconds after which a 503 may be tried again.
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        return fields
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try SearchServer.encoder.encode(ErrorBody(error: .init(status: status.code, message: message, requestId: context.id)))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The answer for any error a handler throws: the library's errors get
    /// the status that fits, Hummingbird's keep theirs, anything else is a 500.
    static func answering(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as ImageDecodingError:
            if case .unsupportedFormat = error.reason {
                return APIError(.unsupportedMediaType, "\(error.path): not a picture imgsearch reads (JPEG, PNG, WebP, GIF, TIFF, BMP, HEIC or AVIF, recognized by content)")
            }
            if case .outOfMemory = error.reason { return APIError(.serviceUnavailable, error.description, retryAfter: 5) }
            return APIError(.badRequest, error.description)
        case let error as ImageIndexError:
            switch error {
            case .unknownImage: return APIError(.notFound, error.description)
            case .noModel: return APIError(.serviceUnavailable, error.description, retryAfter: 5)
            default: return APIError(.internalServerError, error.description)
            }
        case let error as SQLiteError where error.isBusy:
            return APIError(.serviceUnavailable, "\(error.description) (the index is being switched; try again)", retryAfter: 1)
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return APIError(error.status, error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, String(describing: error))
        }
    }
}

/// The JSON of an error answer.
private struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let status: Int
        let message: String
        let requestId: String
    }
    let error: Detail
}
