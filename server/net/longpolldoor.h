#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QTimer;

namespace natter::server {

class LongPollSession;
class Router;

// The HTTP long-polling door: POST /api/v1/session, /api/v1/send and /api/v1/poll (docs/protocol.md,
// "Long polling"). Each device that speaks through it is a LongPollSession, found by its bearer token;
// at most one poll per device is held open, answered when an event arrives or its timeout passes.
class LongPollDoor : public QObject
{
    Q_OBJECT
public:
    static constexpr int kPresenceWindowMs = 60'000;
    static constexpr int kDefaultPollTimeoutS = 25;
    static constexpr int kMaxPollTimeoutS = 60;

    LongPollDoor(Router &router, QHttpServer &http, QObject *parent = nullptr);
    ~LongPollDoor() override;

    // Answers every held poll and takes every long-polling device offline.
    void close();
    qsizetype heldPollCount() const { return m_polls.size(); }
    qsizetype sessionCount() const { return m_sessions.size(); }

    // For tests: the presence window (default kPresenceWindowMs).
    void setPresenceWindow(int ms) { m_presenceWindowMs = ms; }

private:
    struct HeldPoll {
        LongPollSession *session = nullptr;
        QPointer<QTcpSocket> socket;
        std::shared_ptr<QHttpServerResponder> responder;
        QTimer *timer = nullptr;
        bool wakeScheduled = false;
        bool answerWhenCaughtUp = false; // a timeout-0 poll that arrived while the queue was being read
    };

    void handleSession(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handleSend(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handlePoll(const QHttpServerRequest &request, QHttpServerResponder &&responder);

    // The session a bearer token stands for, created and bound on first use; nullptr for a bad token.
    LongPollSession *sessionFor(const QHttpServerRequest &request);
    LongPollSession *bind(const QByteArray &tokenHash);
    void dropSession(LongPollSession *session);
    void scheduleAnswer(LongPollSession *session);
    // Ends the held poll of a device: with the session's events, or empty (superseded, closing).
    void endPoll(qint64 deviceId, bool withEvents);

    Router &m_router;
    int m_presenceWindowMs = kPresenceWindowMs;
    QHash<QByteArray, LongPollSession *> m_sessions; // by token hash
    QHash<qint64, HeldPoll> m_polls; // by device id
};

} // namespace natter::server
