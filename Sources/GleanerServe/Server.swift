import Crypto
import Foundation
import GleanerPipeline
import GleanerCatalogue
import Hummingbird
import Logging
import ServiceLifecycle

/// `gleaner serve`: the read-only web app over the catalogue, and its JSON API under `/api/`.
public struct WebApp: Sendable {
    public let catalogue: Catalogue
    public let folders: OutboxFolders
    /// Where originals are kept after processing (`archive`).
    public let archive: String
    /// Required when not empty: `Authorization: Bearer`, the `gleaner_token` cookie, or `?token=` once.
    public let token: String
    let facets = FacetCache()

    /// Scripts only from the app itself (no inline script, nothing remote); no remote resource of any kind.
    public static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    /// The outbox's own views carry their style inline and no script.
    public static let viewSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

    public init(catalogue: Catalogue, folders: OutboxFolders, archive: String, token: String) {
        self.catalogue = catalogue
        self.folders = folders
        self.archive = archive
        self.token = token
    }

    /// Runs until cancelled; `onRunning` is called with the bound port once it listens.
    public func run(host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.add(middleware: Guard(token: token))
        routes(router)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
        try await app.runService()
    }

    static func html(_ s: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    static func json<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func notFound(_ what: String, api: Bool) -> Response {
        if api {
            return Response(status: .notFound, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"not found\"}")))
        }
        return html(Pages.message("Not found", what), status: .notFound)
    }

    func filter(_ request: Request) -> (DocumentFilter, page: Int) {
        let p = Form(request)
        var f = DocumentFilter()
        f.query = p.get("q") ?? ""
        f.language = p.get("lang").flatMap { $0.isEmpty ? nil : $0 }
        f.outlet = p.get("outlet").flatMap { $0.isEmpty ? nil : $0 }
        f.from = p.get("from").flatMap { $0.isEmpty ? nil : $0 }
        f.to = p.get("to").flatMap { $0.isEmpty ? nil : $0 }
        f.entity = p.get("entity", as: Int64.self) ?? p.get("person", as: Int64.self)
        if let failed = p.get("failed"), !failed.isEmpty { f.failed = failed == "1" || failed == "true" }
        return (f, max(1, p.get("page", as: Int.self) ?? 1))
    }

    func routes(_ router: Router<BasicRequestContext>) {
        router.get("/") { request, _ -> Response in
            let (f, page) = filter(request)
            let list = try catalogue.documents(f, page: page)
            let quotes = f.query.isEmpty || page > 1 ? [] : try catalogue.searchQuotations(f.query, limit: 8)
            let entity = try f.entity.flatMap { id in try catalogue.entityRef(id: id) }
            return Self.html(Pages.documents(list, filter: f, filterEntity: entity, quotes: quotes, facets: try facets.get(catalogue), failuresOnly: false))
        }
        router.get("/failures") { request, _ -> Response in
            var (f, page) = filter(request)
            f.failed = true
            let list = try catalogue.documents(f, page: page)
            return Self.html(Pages.documents(list, filter: f, filterEntity: nil, quotes: [], facets: ([], []), failuresOnly: true))
        }
        router.get("/doc/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self), let d = try catalogue.document(id: id) else {
                return Self.notFound("No such document.", api: false)
            }
            return Self.html(Pages.document(d))
        }
        router.get("/entity/:id") { request, context -> Response in
            let page = Form(request).get("page", as: Int.self) ?? 1
            guard let id = context.parameters.get("id", as: Int64.self), let d = try catalogue.entity(id: id, quotesPage: page) else {
                return Self.notFound("No such person or entity.", api: false)
            }
            return Self.html(Pages.entity(d))
        }
        router.get("/entities") { request, _ -> Response in
            let type = Form(request).get("type").flatMap { $0.isEmpty ? nil : $0.uppercased() }
            let name = Form(request).get("name") ?? ""
            return Self.html(Pages.entities(try catalogue.entities(type: type, matching: name), type: type, query: name))
        }

        // JSON API.
        router.get("/api/documents") { request, _ -> Response in
            let (f, page) = filter(request)
            return try Self.json(try catalogue.documents(f, page: page))
        }
        router.get("/api/documents/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self), let d = try catalogue.document(id: id) else {
                return Self.notFound("", api: true)
            }
            return try Self.json(d)
        }
        router.get("/api/search") { request, _ -> Response in
            let (f, page) = filter(request)
            struct Search: Encodable { var documents: DocumentPage; var quotations: [QuotationRow] }
            return try Self.json(Search(documents: try catalogue.documents(f, page: page),
                                        quotations: try catalogue.searchQuotations(f.query, limit: 20)))
        }
        router.get("/api/entities") { request, _ -> Response in
            let type = Form(request).get("type").flatMap { $0.isEmpty ? nil : $0.uppercased() }
            return try Self.json(try catalogue.entities(type: type, matching: Form(request).get("name") ?? ""))
        }
        router.get("/api/entities/:id") { request, context -> Response in
            let page = Form(request).get("page", as: Int.self) ?? 1
            guard let id = context.parameters.get("id", as: Int64.self), let d = try catalogue.entity(id: id, quotesPage: page) else {
                return Self.notFound("", api: true)
            }
            return try Self.json(d)
        }
        router.get("/api/version") { _, _ -> Response in
            let v = try catalogue.version()
            struct Version: Encodable { var latest: Int64; var count: Int }
            return try Self.json(Version(latest: v.latest, count: v.count))
        }

        // Files of the outbox that the catalogue lists (views, results, failure records); nothing else.
        router.get("/outbox/**") { request, context -> Response in
            let stored = context.parameters.getCatchAll().joined(separator: "/").removingPercentEncoding ?? ""
            guard !stored.isEmpty, let id = try catalogue.documentID(path: stored) else { return Self.notFound("Not in the catalogue.", api: false) }
            let path = folders.absolute(stored)
            guard let data = FileManager.default.contents(atPath: path) else { return Self.notFound("The file is no longer on disk.", api: false) }
            if stored.hasSuffix(".html") {
                var page = String(decoding: data, as: UTF8.self)
                // Linked both ways: the view leads back to the app.
                let nav = "<nav style=\"font:14px system-ui,sans-serif;padding:8px 16px;border-bottom:1px solid #ccc\">"
                    + "<a href=\"/\">← all documents</a> · <a href=\"/doc/\(id)\">people, quotations and search</a></nav>"
                if let r = page.range(of: "<body>") { page.insert(contentsOf: nav, at: r.upperBound) }
                var response = Self.html(page)
                response.headers[.contentSecurityPolicy] = Self.viewSecurityPolicy
                return response
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        // The original, from the archive, as plain bytes (never rendered as HTML).
        router.get("/original/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self), let d = try catalogue.document(id: id)?.document else {
                return Self.notFound("No such document.", api: false)
            }
            let candidates = d.failed
                ? [folders.absolute(String(d.resultPath.dropLast(".error.json".count)))]
                : Self.archiveCandidates(archive: archive, sourceName: d.sourceName, resultPath: d.resultPath)
            for path in candidates {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                // Same-name inputs are numbered (`X.txt`, `X.txt.2`…): serve only the file whose content is this document's.
                if !d.failed, !d.sha256.isEmpty, Self.sha256(data) != d.sha256 { continue }
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .contentDisposition: "inline"],
                                body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
            return Self.notFound("The original is not kept (after_success = \"delete\", or moved).", api: false)
        }

        // New documents without a reload: server-sent events when the catalogue changes.
        router.get("/events") { _, _ -> Response in
            let catalogue = self.catalogue
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { writer in
                    var last = try? catalogue.version()
                    try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                    // At most ten minutes per stream (the browser reconnects), and none past a shutdown.
                    for _ in 0..<600 {
                        let stopping = await cancelWhenGracefulShutdown {
                            (try? await Task.sleep(for: .seconds(1))) == nil
                        }
                        if stopping || Task.isCancelled { break }
                        let now = try? catalogue.version()
                        if let now, now.latest != last?.latest || now.count != last?.count {
                            try await writer.write(ByteBuffer(string: "event: documents\ndata: {\"latest\":\(now.latest),\"count\":\(now.count)}\n\n"))
                            last = now
                        } else {
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                    try await writer.finish(nil)
                })
        }

        router.get("/static/app.js") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: Assets.script)))
        }
        router.get("/static/app.css") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: Assets.style)))
        }
        router.get("/healthz") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
    }
}

/// Security headers on every response, errors rendered by the app, and the access token when one is set.
struct Guard<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if !token.isEmpty, !authorised(request) {
            if let given = Form(request).get("token"), Self.equal(given, token) {
                // Once by URL, then by cookie: the token leaves the address bar.
                response = Response(status: .seeOther, headers: [
                    .location: request.uri.path,
                    .setCookie: "gleaner_token=\(token); Path=/; HttpOnly; SameSite=Strict",
                ])
            } else {
                response = Response(status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8"],
                                    body: .init(byteBuffer: ByteBuffer(string: "an access token is required ([serve] token)\n")))
            }
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError {
                response = WebApp.html(Pages.message("Error", "\(error.status.code) \(error.status.reasonPhrase)"), status: error.status)
            } catch {
                context.logger.error("\(request.uri.path): \(error)")
                response = WebApp.html(Pages.message("Error", "The catalogue could not be read; see the server's log."), status: .internalServerError)
            }
        }
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = WebApp.contentSecurityPolicy }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        return response
    }

    func authorised(_ request: Request) -> Bool {
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "), Self.equal(String(auth.dropFirst(7)), token) { return true }
        if let cookie = request.cookies["gleaner_token"], Self.equal(cookie.value, token) { return true }
        return false
    }

    /// Comparison in time independent of where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }
}

/// Languages and outlets for the filters, read at most every 10 seconds.
final class FacetCache: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (languages: [String], outlets: [String]) = ([], [])
    private var readAt = Date.distantPast

    func get(_ catalogue: Catalogue) throws -> (languages: [String], outlets: [String]) {
        lock.lock()
        defer { lock.unlock() }
        if Date().timeIntervalSince(readAt) > 10 {
            value = try catalogue.facets()
            readAt = Date()
        }
        return value
    }
}

/// The query of a GET form: `+` is a space, then percent-decoding (as browsers encode forms).
struct Form {
    var values: [String: String] = [:]

    init(_ request: Request) {
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            let key = decode(kv[0])
            if values[key] == nil { values[key] = kv.count > 1 ? decode(kv[1]) : "" }
        }
    }

    func get(_ key: String) -> String? { values[key] }
    func get<T: LosslessStringConvertible>(_ key: String, as: T.Type) -> T? { values[key].flatMap { T($0) } }
}

extension WebApp {
    /// Where the daemon may have archived the original of a result: `archive/NAME` with the number of the result
    /// (`NAME.2.json` → `archive/NAME.2`) first, then the other numbers of same-name inputs.
    static func archiveCandidates(archive: String, sourceName: String, resultPath: String) -> [String] {
        let safe = OutboxLayout.safeRelativePath(sourceName)
        let base = (archive as NSString).appendingPathComponent(safe)
        var numbers: [Int] = []
        if resultPath.hasSuffix(".json") {
            let stem = resultPath.dropLast(".json".count)
            if stem.hasPrefix(safe + "."), let n = Int(stem.dropFirst(safe.count + 1)), n > 1 { numbers.append(n) }
        }
        for n in 1...9 where !numbers.contains(n) { numbers.append(n) }
        return numbers.map { $0 == 1 ? base : base + ".\($0)" }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
