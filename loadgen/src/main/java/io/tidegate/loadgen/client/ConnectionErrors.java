package io.tidegate.loadgen.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;

import javax.net.ssl.SSLException;
import java.net.BindException;
import java.net.ConnectException;
import java.io.IOException;

/** Names a connection failure for the error counts: a few stable kinds, not one entry per message text. */
public final class ConnectionErrors {

    private ConnectionErrors() {
    }

    public static String kindOf(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof ConnectTimeoutException) {
            return "connect timeout";
        }
        String message = String.valueOf(t.getMessage());
        if (t instanceof BindException || message.contains("Cannot assign requested address")
                || message.contains("Address already in use")) {
            return "no free source port";
        }
        if (t instanceof ConnectException) {
            return "connect refused";
        }
        if (t instanceof NotSslRecordException) {
            return "tls: broker did not answer with TLS";
        }
        if (t instanceof SSLException) {
            return "tls handshake failed";
        }
        if (t instanceof IOException) {
            return "io error";
        }
        return "exception " + t.getClass().getSimpleName();
    }
}
