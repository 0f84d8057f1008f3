#pragma once

#include "bench/run.h"
#include "bench/stats.h"

#include <QSet>
#include <QString>
#include <QTimer>

#include <optional>
#include <vector>

namespace natter::protocol {
struct ChatMessage;
}

namespace natter::bench {

// Modes `pairs` and `room`: senders keep a window of sends in flight; every recipient acks what it gets.
// Measures send->message (end to end) and send->sent latency, throughput, lost and duplicate messages.
class TrafficRun final : public Run
{
    Q_OBJECT
public:
    explicit TrafficRun(BenchOptions options, QObject *parent = nullptr);

    void start() override;

protected:
    void stopActivity() override;

private:
    struct Sender {
        BenchUser *user = nullptr;
        QString to;
        QString cidPrefix; // "<run>.<sender>."
        std::vector<bool> isRecipient; // by user index
        int recipients = 0;
        std::vector<qint64> sendNs; // by sequence number
        std::vector<qint64> sentIds; // by sequence number; 0 until `sent`
        std::vector<quint32> deliveries; // by sequence number: first deliveries to recipients
        int inFlight = 0;
        bool stopped = false;
    };
    struct CidRef {
        int sender;
        qint64 seq;
    };

    void buildPlan();
    void joinRoom();
    void startTraffic();
    void fillWindow(Sender &sender);
    void onSent(int senderIndex, const QString &cid, qint64 id);
    void onMessage(BenchUser *user, const protocol::ChatMessage &message);
    void tick();
    void checkSendingDone();
    void finishTraffic(bool drainExpired);
    std::optional<CidRef> parseCid(QStringView cid) const;

    QString m_room; // room mode only
    QString m_body;
    std::vector<Sender> m_senders;
    std::vector<QSet<qint64>> m_seen; // by user index: message ids received
    LatencySamples m_e2e;
    LatencySamples m_sentLatency;

    qint64 m_issued = 0; // sends written
    qint64 m_acked = 0; // `sent` replies
    qint64 m_expected = 0; // deliveries due for the acked sends
    qint64 m_delivered = 0; // first deliveries
    qint64 m_duplicates = 0;
    qint64 m_corrupt = 0; // wrong body, id or cid
    qint64 m_misrouted = 0; // delivered to a user who is not a recipient
    double m_registerS = 0;
    int m_joined = 0;

    qint64 m_t0 = 0;
    qint64 m_sendDeadlineNs = 0;
    qint64 m_lastSentNs = 0;
    qint64 m_lastDeliveryNs = 0;
    qint64 m_lastProgressNs = 0;
    qint64 m_progressMark = 0;
    qint64 m_lastReportNs = 0;
    qint64 m_lastReportDelivered = 0;
    bool m_draining = false;
    QTimer m_tick;
    QTimer m_drainTimer;
    QTimer m_joinTimer;
};

} // namespace natter::bench
