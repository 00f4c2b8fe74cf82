import Foundation
import Glibc
import Synchronization

/// Why folders cannot be watched.
public struct FolderWatchError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot watch: \(reason)" }
}

/// Watches folders and everything below them with inotify, and calls back
/// once the changes have settled: after ``quietPeriod`` without a new one,
/// or ``maximumDelay`` after the first while they keep coming. A burst of
/// ten thousand new files is then one callback, and the callback (an
/// incremental index run) finds what changed itself, so the events only
/// say *that* something changed, never what.
///
/// Changes made while the callback runs wait in the kernel's queue and
/// start the next round; when that queue overflows (`IN_Q_OVERFLOW`) the
/// next round still comes, since any event counts. Folders created later
/// are watched as they appear.
public final class FolderWatcher: @unchecked Sendable {
    public let folders: [String]
    public let quietPeriod: Duration
    public let maximumDelay: Duration
    /// Called with a warning worth logging: the system's limit on watches
    /// was reached, say.
    let onWarning: @Sendable (String) -> Void

    private let inotify: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Watched folder by watch descriptor; touched by the watching thread only.
    private var folderOfWatch: [Int32: String] = [:]
    private let stopped = Atomic<Bool>(false)
    private var warnedAboutLimit = false

    /// What a change to a watched folder or a file in it is.
    private static let mask: UInt32 = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB
        | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    /// Starts watching `folders` (each must be a readable folder).
    public init(folders: [String], quietPeriod: Duration = .seconds(1), maximumDelay: Duration = .seconds(5),
                onWarning: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.onWarning = onWarning
        self.folders = folders
        self.quietPeriod = quietPeriod
        self.maximumDelay = maximumDelay
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else {
            throw FolderWatchError(path: folders.first ?? "", reason: "inotify_init1: \(String(cString: strerror(errno)))")
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(inotify)
            throw FolderWatchError(path: folders.first ?? "", reason: "pipe: \(String(cString: strerror(errno)))")
        }
        (wakeRead, wakeWrite) = (ends[0], ends[1])
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        for folder in folders {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                close(inotify); close(wakeRead); close(wakeWrite)
                throw FolderWatchError(path: folder, reason: "not a folder")
            }
            watchTree(at: folder)
        }
    }

    deinit {
        close(inotify)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Folders watched now.
    public var watchedFolderCount: Int { folderOfWatch.count }

    /// Watches until ``stop()``, calling `onChanges` after each settled
    /// burst of changes. Blocks the calling thread.
    public func run(onChanges: () -> Void) {
        var firstChange: ContinuousClock.Instant?
        var lastChange = ContinuousClock.now
        while !stopped.load(ordering: .acquiring) {
            var timeout: Int32 = -1
            if let first = firstChange {
                let deadline = min(lastChange + quietPeriod, first + maximumDelay)
                let left = deadline - .now
                timeout = left <= .zero ? 0 : Int32(min(60_000, left.milliseconds + 1))
            }
            var descriptors = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, 2, timeout)
            if ready < 0 && errno != EINTR { onWarning("poll: \(String(cString: strerror(errno)))"); return }
            if descriptors[1].revents != 0 { return }
            if descriptors[0].revents != 0, readEvents() {
                lastChange = .now
                if firstChange == nil { firstChange = lastChange }
            }
            if let first = firstChange, ContinuousClock.now >= min(lastChange + quietPeriod, first + maximumDelay) {
                firstChange = nil
                if stopped.load(ordering: .acquiring) { return }
                onChanges()
            }
        }
    }

    /// Ends ``run(onChanges:)`` (after the callback it is in, if any); safe from any thread.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - Events

    /// Reads every queued event; true when there was one. New folders are watched.
    private func readEvents() -> Bool {
        var changed = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            changed = true
            var offset = 0
            let headerSize = MemoryLayout<inotify_event>.size
            while offset + headerSize <= count {
                let (descriptor, mask, nameLength) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + headerSize)..<min(count, offset + headerSize + nameLength)]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                handle(descriptor: descriptor, mask: mask, name: name)
                offset += headerSize + nameLength
            }
        }
        return changed
    }

    private func handle(descriptor: Int32, mask: UInt32, name: String) {
        if mask & UInt32(IN_IGNORED) != 0 {
            folderOfWatch[descriptor] = nil
            return
        }
        guard mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0,
              let parent = folderOfWatch[descriptor], !name.isEmpty else { return }
        // A folder made or moved in: watch it and everything already in it
        // (a `cp -r` or `mv` brings a whole tree at once).
        watchTree(at: (parent as NSString).appendingPathComponent(name))
    }

    /// Watches `folder` and every folder below it.
    private func watchTree(at folder: String) {
        addWatch(folder)
        guard let walker = FileManager.default.enumerator(
            at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey], options: []
        ) else { return }
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey]),
                  values.isDirectory == true, values.isSymbolicLink != true else { continue }
            addWatch(url.path)
        }
    }

    private func addWatch(_ folder: String) {
        let descriptor = inotify_add_watch(inotify, folder, Self.mask)
        if descriptor >= 0 {
            folderOfWatch[descriptor] = folder
        } else if errno == ENOSPC, !warnedAboutLimit {
            warnedAboutLimit = true
            onWarning("\(folder): the system's limit on inotify watches is reached (fs.inotify.max_user_watches); changes in folders not yet watched are found at the next index run only")
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
