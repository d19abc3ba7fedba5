import CCurl
import Foundation

/// One libcurl multi handle driven by one thread this loop owns.
///
/// Async callers hand work (HTTP requests, mail submissions) over through a lock-protected queue and wake the thread with
/// `curl_multi_wakeup`; the thread creates, drives and cleans up every easy handle and resumes each
/// caller's continuation. So any number of transfers run at once, and no libcurl call ever blocks
/// Swift's cooperative thread pool.
///
/// `@unchecked Sendable` because the compiler cannot see the discipline, which is this: every stored
/// `var` is read and written only while holding `lock`. The multi handle is driven only by the loop
/// thread; other threads touch it only through `curl_multi_wakeup`, which libcurl documents as callable
/// from any thread, and only under `lock` while `multi` is non-nil. The loop thread clears `multi` under
/// the same lock before `curl_multi_cleanup`, so a wakeup never races the cleanup.
final class CurlMultiLoop: @unchecked Sendable {
    private let lock = NSLock()
    private var multi: UnsafeMutableRawPointer?
    private var pending: [CurlSubmission] = []
    private var inFlight: Set<UInt64> = []
    private var cancellations: [UInt64] = []
    private var isShuttingDown = false
    private var lastID: UInt64 = 0

    /// Creates the multi handle and starts the thread.
    init() {
        CurlRuntime.initialize()
        guard let multi = curl_multi_init() else {
            preconditionFailure("curl_multi_init failed: libcurl is out of memory")
        }
        self.multi = multi
        let thread = Thread { [self] in run() }
        thread.name = "rotor.http.curl"
        thread.start()
    }

    /// Performs `request` on the loop thread. Cancelling the calling task removes the transfer and
    /// throws `CancellationError`.
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await perform(request.subject) { continuation in
            try HTTPTransfer(request, continuation: continuation)
        }
    }

    /// Runs the transfer `makeTransfer` builds (on the loop thread) and returns what it resumes its
    /// caller with. Cancelling the calling task removes the transfer and throws `CancellationError`.
    func perform<Output: Sendable>(
        _ subject: TransferSubject,
        makeTransfer: @escaping @Sendable (CheckedContinuation<Output, any Error>) throws -> any CurlTransfer
    ) async throws -> Output {
        let id = lock.withLock {
            lastID += 1
            return lastID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                submit(CurlSubmission(id: id, subject: subject, start: { try makeTransfer(continuation) },
                                      fail: { continuation.resume(throwing: $0) }))
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Asks the thread to abandon every transfer (their callers get `HTTPClientError.cancelled`), clean
    /// up and exit. Returns at once; later requests fail with `HTTPClientError.shutdown`.
    func shutdown() {
        lock.withLock {
            isShuttingDown = true
            wakeLocked()
        }
    }

    private func submit(_ submission: CurlSubmission) {
        let refusal: (any Error)? = lock.withLock {
            if isShuttingDown { return HTTPClientError.shutdown.about(submission.subject) }
            // Checked under the lock that `cancel` takes: a task's cancelled flag is set before its
            // cancellation handler runs, so either this sees the flag or `cancel` sees the submission.
            if Task.isCancelled { return CancellationError() }
            pending.append(submission)
            wakeLocked()
            return nil
        }
        if let refusal { submission.fail(refusal) }
    }

    private func cancel(_ id: UInt64) {
        let notStarted: CurlSubmission? = lock.withLock {
            if let index = pending.firstIndex(where: { $0.id == id }) {
                return pending.remove(at: index)
            }
            if inFlight.contains(id) {
                cancellations.append(id)
                wakeLocked()
            }
            return nil
        }
        notStarted?.fail(CancellationError())
    }

    private func wakeLocked() {
        if let multi { _ = curl_multi_wakeup(multi) }
    }

    // MARK: - Loop thread

    private func run() {
        guard let multi = lock.withLock({ self.multi }) else { return }
        var transfers: [UInt64: any CurlTransfer] = [:]
        var subjects: [UInt64: TransferSubject] = [:]
        var idsByHandle: [UnsafeMutableRawPointer: UInt64] = [:]

        /// Ends transfer `id`: libcurl's `code` when it finished, else `error`.
        func finish(_ id: UInt64, code: CURLcode? = nil, error: (any Error)? = nil) {
            guard let transfer = transfers.removeValue(forKey: id) else { return }
            subjects[id] = nil
            idsByHandle[transfer.easy] = nil
            _ = curl_multi_remove_handle(multi, transfer.easy)
            markDone(id)
            // The handle stays valid after leaving the multi handle, so the outcome can still be read.
            if let code { transfer.finish(code) } else { transfer.abandon(error ?? CancellationError()) }
            transfer.cleanUp()
        }

        while true {
            let (work, cancelled, stopping) = lock.withLock {
                let work = pending
                pending.removeAll()
                inFlight.formUnion(work.map(\.id))
                let cancelled = cancellations
                cancellations.removeAll()
                return (work, cancelled, isShuttingDown)
            }
            for id in cancelled {
                finish(id, error: CancellationError())
            }
            if stopping {
                for submission in work {
                    markDone(submission.id)
                    submission.fail(HTTPClientError.cancelled.about(submission.subject))
                }
                for (id, subject) in subjects {
                    finish(id, error: HTTPClientError.cancelled.about(subject))
                }
                break
            }
            for submission in work {
                let transfer: any CurlTransfer
                do {
                    transfer = try submission.start()
                } catch {
                    markDone(submission.id)
                    submission.fail(error)
                    continue
                }
                let added = curl_multi_add_handle(multi, transfer.easy)
                guard added == CURLM_OK else {
                    let error = HTTPClientError.transport(curlCode: Int(CURLE_FAILED_INIT.rawValue))
                    let detail = String(cString: curl_multi_strerror(added))
                    markDone(submission.id)
                    transfer.abandon(error.about(submission.subject, detail: detail))
                    transfer.cleanUp()
                    continue
                }
                transfers[submission.id] = transfer
                subjects[submission.id] = submission.subject
                idsByHandle[transfer.easy] = submission.id
            }

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued)?.pointee {
                // Copied out of libcurl's struct: it is invalidated by curl_multi_remove_handle.
                guard message.msg == CURLMSG_DONE, let easy = message.easy_handle,
                      let id = idsByHandle[easy] else { continue }
                finish(id, code: message.data.result)
            }
            // Returns on socket activity, libcurl's next internal timeout, or curl_multi_wakeup.
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }

        lock.withLock {
            self.multi = nil
            curl_multi_cleanup(multi)
        }
    }

    private func markDone(_ id: UInt64) {
        _ = lock.withLock { inFlight.remove(id) }
    }
}
