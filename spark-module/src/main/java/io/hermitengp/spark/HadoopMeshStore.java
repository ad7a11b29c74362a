package io.hermitengp.spark;

import io.hermitengp.io.MeshFormatException;
import io.hermitengp.io.MeshStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/**
 * Reads meshes named by a Hadoop file system URI ({@code hdfs:}, {@code s3a:}, {@code abfs:}, ...)
 * for the kernels' mesh reader, on the driver and on executors alike, with the Hadoop
 * configuration found on the classpath ({@code core-site.xml}; credentials as Hadoop takes them).
 */
public final class HadoopMeshStore implements MeshStore {
    @Override
    public boolean handles(String scheme) {
        try {
            FileSystem.getFileSystemClass(scheme, new Configuration());
            return true;
        } catch (IOException unknownScheme) {
            return false;
        }
    }

    @Override
    public byte[] readAll(String location, long maxBytes) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(new Configuration());
        FileStatus status = fs.getFileStatus(path);
        if (status.getLen() > maxBytes) {
            throw new MeshFormatException(location, "file is " + status.getLen() + " bytes, above the limit of "
                    + maxBytes + " bytes");
        }
        byte[] data = new byte[(int) status.getLen()];
        try (FSDataInputStream in = fs.open(path)) {
            in.readFully(0, data);
        }
        return data;
    }
}
