package io.tidegate.forward.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.Set;

/** Which whole-call AWS errors mean "too fast, back off" rather than a fault. */
public final class AwsErrors {

    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException",
            "ThrottlingException", "Throttling", "RequestLimitExceeded", "LimitExceededException",
            "KMSThrottlingException", "TooManyRequestsException");

    private AwsErrors() {
    }

    public static boolean isThrottling(AwsServiceException e) {
        return e.isThrottlingException()
                || (e.awsErrorDetails() != null && THROTTLING.contains(e.awsErrorDetails().errorCode()));
    }

    /** The service's error code, or the exception's class name when there is none. */
    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
    }

    /** The error inside an asynchronous call's wrapper ({@code CompletionException} and the like). */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Waits for an asynchronous write and returns its result, or throws what it failed with: the
     * synchronous {@code write} of the AWS destinations.
     */
    public static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
    }

    /** HTTP 400 validation errors: the request can never succeed as it is. */
    public static boolean isValidation(AwsServiceException e) {
        return e.statusCode() == 400 && "ValidationException".equals(code(e));
    }
}
