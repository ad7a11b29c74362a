package io.hermitengp.spark;

import io.hermitengp.io.MeshFormatException;
import io.hermitengp.io.MeshStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

import java.io.IOException;

/**
 * Reads meshes named by a Hadoop file system URI ({@code hdfs:}, {@code s3a:}, {@code abfs:}, ...)
 * for the kernels' mesh reader, on the driver and on executors alike, with the Hadoop
 * configuration Spark gives its own file access: the classpath's {@code core-site.xml} and the
 * job's {@code spark.hadoop.*} settings (an S3A endpoint or credentials passed with
 * {@code --conf}), built once per JVM.
 */
public final class HadoopMeshStore implements MeshStore {
    private static volatile Configuration configuration;

    /** The Hadoop configuration of this JVM's Spark environment, or the classpath's outside Spark. */
    static Configuration configuration() {
        Configuration conf = configuration;
        if (conf == null) {
            synchronized (HadoopMeshStore.class) {
                conf = configuration;
                if (conf == null) {
                    SparkEnv env = SparkEnv.get();
                    conf = env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
                    configuration = conf;
                }
            }
        }
        return conf;
    }

    @Override
    public boolean handles(String scheme) {
        try {
            FileSystem.getFileSystemClass(scheme, configuration());
            return true;
        } catch (IOException unknownScheme) {
            return false;
        }
    }

    @Override
    public byte[] readAll(String location, long maxBytes) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(configuration());
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
