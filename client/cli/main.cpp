// natter-cli: a headless Natter client for scripts and servers without a desktop.
#include "client/chatclient.h"
#include "client/cli/clicommand.h"
#include "client/net/serverurl.h"
#include "common/os/appidentity.h"
#include "common/os/quitonsignal.h"
#include "common/protocol/validation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QUuid>

#include <cstdio>

using namespace Qt::StringLiterals;
using natter::cli::CliCommand;
using natter::client::ChatClient;
using natter::client::Connection;

namespace {
int usage(const QString &message)
{
    std::fprintf(stderr, "natter-cli: %s (see --help)\n", qPrintable(message));
    return CliCommand::Usage;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    natter::os::setApplicationIdentity(u"natter-cli"_s);
    const natter::os::QuitOnSignal quitOnSignal;

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Headless Natter client.\n\nCommands:\n"
        "  send TO TEXT   send a message to a user or #room; exits 0 once the server stored it\n"
        "  listen         print every incoming message and connection change as a JSON line\n"
        "  history WITH   print the last 200 messages with a user or #room\n"
        "  users          print every user with presence\n"
        "  rooms          print every room\n"
        "  join ROOM      join (or create) a #room"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOpt(u"server"_s, u"Server address, e.g. 192.168.1.5:7470 or http://host:7470."_s, u"url"_s);
    const QCommandLineOption userOpt(u"user"_s, u"User name."_s, u"name"_s);
    const QCommandLineOption passwordOpt(u"password"_s, u"Password (or the NATTER_PASSWORD environment variable)."_s, u"pw"_s);
    const QCommandLineOption registerOpt(u"register"_s, u"Create the account first."_s);
    const QCommandLineOption deviceOpt(u"device"_s, u"Device id (default: one generated and kept per account)."_s, u"id"_s);
    const QCommandLineOption transportOpt(u"transport"_s, u"auto (default), websocket or longpoll."_s, u"kind"_s, u"auto"_s);
    const QCommandLineOption dataOpt(u"data"_s, u"Folder for the local store (default: the app-data folder)."_s, u"dir"_s);
    const QCommandLineOption timeoutOpt(u"timeout"_s, u"Seconds to wait for one-shot commands (default 30)."_s, u"s"_s, u"30"_s);
    const QCommandLineOption verboseOpt(u"verbose"_s, u"Log connection details on stderr."_s);
    parser.addOptions({serverOpt, userOpt, passwordOpt, registerOpt, deviceOpt, transportOpt, dataOpt, timeoutOpt, verboseOpt});
    parser.addPositionalArgument(u"command"_s, u"send, listen, history, users, rooms or join"_s);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usage(u"a command is needed"_s);
    if (!parser.isSet(serverOpt) || !parser.isSet(userOpt))
        return usage(u"--server and --user are needed"_s);
    const QString user = parser.value(userOpt);
    if (!natter::protocol::isValidUserName(user))
        return usage(u"user names are 1-32 of A-Z a-z 0-9 _ . -"_s);
    QString password = parser.value(passwordOpt);
    if (password.isEmpty())
        password = qEnvironmentVariable("NATTER_PASSWORD");
    Connection::Config config;
    const QString transport = parser.value(transportOpt);
    if (transport == "websocket"_L1)
        config.mode = Connection::Mode::WebSocketOnly;
    else if (transport == "longpoll"_L1)
        config.mode = Connection::Mode::LongPollingOnly;
    else if (transport != "auto"_L1)
        return usage(u"--transport is auto, websocket or longpoll"_s);
    bool ok = false;
    const int timeoutS = parser.value(timeoutOpt).toInt(&ok);
    if (!ok || timeoutS < 1)
        return usage(u"--timeout takes a number of seconds"_s);
    if (!parser.isSet(verboseOpt))
        QLoggingCategory::setFilterRules(u"natter.*.info=false\nnatter.*.debug=false"_s);

    const QUrl server = natter::client::serverUrlFromText(parser.value(serverOpt));
    if (!server.isValid())
        return usage(u"--server is not a server address"_s);
    const QString dataDir = parser.isSet(dataOpt) ? parser.value(dataOpt)
                                                  : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString storePath = QDir(dataDir).filePath(
        u"%1@%2_%3.db"_s.arg(natter::protocol::nameKey(user), server.host()).arg(server.port()));
    natter::client::LocalStore store(storePath);
    QString error;
    if (!store.open(&error)) {
        std::fprintf(stderr, "natter-cli: %s\n", qPrintable(error));
        return CliCommand::Failed;
    }
    QString device = parser.value(deviceOpt);
    if (device.isEmpty()) {
        device = store.valueNow(u"device"_s);
        if (device.isEmpty()) {
            device = u"cli-"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
            store.setValue(u"device"_s, device);
        }
    } else if (!natter::protocol::isValidDevice(device)) {
        return usage(u"--device takes 1-64 characters from '!' to '~'"_s);
    }
    const QString token = parser.isSet(registerOpt) || store.valueNow(u"device"_s) != device ? QString()
                                                                                             : store.valueNow(u"token"_s);
    if (password.isEmpty() && token.isEmpty())
        return usage(u"--password is needed (no stored session for this account)"_s);

    ChatClient client(store, config);
    client.setServer(server);
    client.setCredentials({user, password, device, token, parser.isSet(registerOpt)});
    QObject::connect(&client, &ChatClient::signedIn, &store, [&store, device](const QString &, const QString &t) {
        store.setValue(u"device"_s, device);
        store.setValue(u"token"_s, t);
    });

    CliCommand command(client, positional.first(), positional.mid(1), timeoutS * 1000);
    if (!command.validate())
        return CliCommand::Usage;
    int exitCode = CliCommand::Ok;
    QObject::connect(&command, &CliCommand::finished, &app, [&](int code) {
        exitCode = code;
        app.quit();
    });
    command.start();
    app.exec();
    client.stop();
    store.close();
    return exitCode;
}
