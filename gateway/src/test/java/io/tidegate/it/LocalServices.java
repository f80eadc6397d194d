package io.tidegate.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Injects the local AWS stand-ins ({@link Kinesalite}, {@link DynamoDbLocal}) into test methods and
 * lifecycle methods. Each is started once per test run, on first use, and stopped when the run ends
 * (kept in the root context's store, which closes it).
 */
final class LocalServices implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalServices.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Kinesalite.class || type == DynamoDbLocal.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        if (type == Kinesalite.class) {
            return store.getOrComputeIfAbsent(Kinesalite.class, k -> Kinesalite.start(), Kinesalite.class);
        }
        return store.getOrComputeIfAbsent(DynamoDbLocal.class, k -> DynamoDbLocal.start(), DynamoDbLocal.class);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
