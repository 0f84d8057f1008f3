#pragma once

#include "client/chatclient.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace natter::cli {

// One run of natter-cli: signs in, does one command, prints JSON lines on stdout, and ends with an exit code.
class CliCommand : public QObject
{
    Q_OBJECT
public:
    enum Exit { Ok = 0, Failed = 1, Usage = 2, AuthFailed = 3, Unreachable = 4 };

    CliCommand(client::ChatClient &client, QString command, QStringList args, int timeoutMs, QObject *parent = nullptr);

    // Checks the arguments; returns false (with a message on stderr) when they do not fit the command.
    bool validate() const;
    void start();

signals:
    void finished(int exitCode);

private:
    void onSignedIn();
    // When `answer` comes for the request m_pending: print(the answer's arguments after the rid), then done.
    template <typename... Args, typename Print>
    void finishOnAnswer(void (client::ChatClient::*answer)(const QString &, Args...), Print print);
    void finish(int code, const QString &error = {});
    static void printJson(const QJsonObject &object);

    client::ChatClient &m_client;
    QString m_command;
    QStringList m_args;
    QString m_pending; // cid or rid of the one request a command waits for
    QTimer m_timeout;
    bool m_done = false;
};

} // namespace natter::cli
