import Hummingbird
import MultipartKit

/// The picture of a search-by-upload request: the body itself, or the first
/// file part of a `multipart/form-data` body (docs/api.md, `POST /api/search`).
struct ImageUpload {
    var bytes: [UInt8]
    /// The part's file name, or `(upload)`.
    var name: String

    /// Reads the body, at most `limit` bytes: a larger one is a 413 and is
    /// not read further.
    static func read(from request: Request, limit: Int) async throws -> ImageUpload {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIO's "too many bytes", which Hummingbird answers as a bare 413.
            throw APIError(.contentTooLarge, "the upload is larger than the server's limit of \(limit) bytes")
        }
        if let type = request.headers[.contentType], let boundary = multipartBoundary(type) {
            return try firstFile(of: body, boundary: boundary)
        }
        guard body.readableBytes > 0 else { throw APIError(.badRequest, "the request has no body: send the image's bytes, or a multipart form with the file") }
        return ImageUpload(bytes: Array(body.readableBytesView), name: "(upload)")
    }

    /// The boundary of a `multipart/form-data` content type, if it is one.
    static func multipartBoundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            return unquoted(part.dropFirst("boundary=".count))
        }
        return nil
    }

    /// The first part that has a file name (else the first part).
    static func firstFile(of body: ByteBuffer, boundary: String) throws -> ImageUpload {
        struct Part { var headers: [(String, String)] = []; var bytes: [UInt8] = [] }
        var parts: [Part] = []
        var current = Part()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in current.headers.append((name, value)) }
        parser.onBody = { buffer in current.bytes += buffer.readableBytesView }
        parser.onPartComplete = {
            parts.append(current)
            current = Part()
        }
        do {
            try parser.execute(body)
        } catch {
            throw APIError(.badRequest, "the multipart body does not parse: \(error)")
        }
        let named = parts.map { part -> (name: String?, bytes: [UInt8]) in
            let disposition = part.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            return (fileName(in: disposition), part.bytes)
        }
        guard let chosen = named.first(where: { $0.name != nil }) ?? named.first else {
            throw APIError(.badRequest, "the multipart body has no part: send the image as a file field")
        }
        guard !chosen.bytes.isEmpty else { throw APIError(.badRequest, "the uploaded file \(chosen.name ?? "(upload)") is empty") }
        return ImageUpload(bytes: chosen.bytes, name: chosen.name ?? "(upload)")
    }

    /// `filename="..."` of a Content-Disposition header.
    static func fileName(in disposition: String) -> String? {
        for field in disposition.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard field.lowercased().hasPrefix("filename=") else { continue }
            return unquoted(field.dropFirst("filename=".count))
        }
        return nil
    }

    /// A header parameter's value without its quotes; nil when empty.
    static func unquoted(_ value: Substring) -> String? {
        var value = String(value)
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        return value.isEmpty ? nil : value
    }
}
